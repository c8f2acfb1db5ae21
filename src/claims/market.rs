//! Market codes: ISO 3166-1 alpha-2.

use crate::error::{Error, Result};

/// The officially assigned ISO 3166-1 alpha-2 codes, plus `XK` (Kosovo),
/// which the European Commission and most platforms use.
const ASSIGNED: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ \
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT \
GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY \
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX \
MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS \
RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN \
TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

/// Returns the market code in canonical upper case, or an error naming the
/// code when it is not an ISO 3166-1 alpha-2 country.
pub fn parse_market(code: &str) -> Result<String> {
    let upper = code.trim().to_ascii_uppercase();
    let known = upper.len() == 2 && ASSIGNED.split_ascii_whitespace().any(|c| c == upper);
    if known {
        Ok(upper)
    } else {
        Err(Error::invalid(format!(
            "unknown market code {code:?}: expected an ISO 3166-1 alpha-2 country such as BR, MX, CO or ID"
        )))
    }
}

/// Returns the codes parsed and deduplicated, or the first error.
pub fn parse_markets<S: AsRef<str>>(codes: &[S]) -> Result<Vec<String>> {
    let mut markets = Vec::with_capacity(codes.len());
    for code in codes {
        let market = parse_market(code.as_ref())?;
        if !markets.contains(&market) {
            markets.push(market);
        }
    }
    Ok(markets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_countries_in_any_case() {
        assert_eq!(parse_market("br").unwrap(), "BR");
        assert_eq!(parse_market(" ID ").unwrap(), "ID");
        assert_eq!(
            parse_markets(&["MX", "mx", "CO"]).unwrap(),
            vec!["MX", "CO"]
        );
    }

    #[test]
    fn refuses_unknown_codes_by_name() {
        for bad in ["ZZ", "BRA", "", "U1"] {
            let err = parse_market(bad).unwrap_err().to_string();
            assert!(err.contains("unknown market code"), "{err}");
        }
    }
}
