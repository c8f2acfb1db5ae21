//! The report's prose in each report language, computed from the numbers:
//! what reviewers confirmed first, then what was scanned and logged with
//! its basis, then counter-speech; and the method note. Each language is
//! written as its own sentences (agreement, articles and plurals differ),
//! not as one template translated word for word.

use chrono::{DateTime, Utc};

use super::locale::Locale;
use super::render::ReportInput;

/// `n` and the noun that agrees with it.
fn count(locale: Locale, n: u64, one: &str, many: &str) -> String {
    format!("{} {}", locale.number(n), if n == 1 { one } else { many })
}

/// The period's first and last day in words, each with the article the
/// language puts before a date ("el 1 de septiembre" in Spanish).
fn period(input: &ReportInput) -> (String, String) {
    let locale = input.locale;
    let day = |at: Option<DateTime<Utc>>, open: [&str; 4]| match at {
        Some(at) => {
            let text = locale.day(at.date_naive());
            if locale == Locale::Es {
                format!("el {text}")
            } else {
                text
            }
        }
        None => open[locale.index()].to_string(),
    };
    let from = day(
        input.from,
        [
            "the first logged match",
            "o primeiro registro",
            "el primer registro",
            "catatan pertama",
        ],
    );
    // The period's end is exclusive; say the last day it covers.
    let to = day(
        input.to.map(|t| t - chrono::Duration::days(1)),
        [
            "the last logged match",
            "o último registro",
            "el último registro",
            "catatan terakhir",
        ],
    );
    (from, to)
}

/// The narrative paragraphs.
pub fn narrative(input: &ReportInput) -> Vec<String> {
    let locale = input.locale;
    let t = &input.summary.totals;
    let (from, to) = period(input);
    let n = |v: u64| locale.number(v);
    let pct = locale.percent(t.unique_videos, input.summary.scanned);
    if t.hits == 0 && t.refutations == 0 {
        return vec![match locale {
            Locale::En => {
                format!("No video was matched to a fact-checked claim between {from} and {to}.")
            }
            Locale::Pt => {
                format!("Nenhum vídeo correspondeu a uma alegação checada entre {from} e {to}.")
            }
            Locale::Es => {
                format!("Ningún video coincidió con una afirmación verificada entre {from} y {to}.")
            }
            Locale::Id => format!(
                "Tidak ada video yang cocok dengan klaim terperiksa antara {from} dan {to}."
            ),
        }];
    }
    let (v, c, views) = (t.confirmed_videos, t.confirmed_claims, t.matched_views);
    let confirmed = match (locale, v) {
        (Locale::En, 0) => {
            format!("Between {from} and {to}, reviewers had confirmed no match yet.")
        }
        (Locale::Pt, 0) => format!(
            "Entre {from} e {to}, os revisores ainda não haviam confirmado nenhuma correspondência."
        ),
        (Locale::Es, 0) => format!(
            "Entre {from} y {to}, los revisores aún no habían confirmado ninguna coincidencia."
        ),
        (Locale::Id, 0) => {
            format!("Antara {from} dan {to}, peninjau belum mengonfirmasi kecocokan apa pun.")
        }
        (Locale::En, _) => format!(
            "Between {from} and {to}, reviewers confirmed that {} repeated {} that our partners had fact-checked; when first matched, those videos had {}.",
            count(locale, v, "video", "videos"),
            count(locale, c, "claim", "claims"),
            count(locale, views, "view", "views"),
        ),
        (Locale::Pt, _) => format!(
            "Entre {from} e {to}, os revisores confirmaram {} repetindo {} por nossos parceiros; quando identificados pela primeira vez, esses vídeos somavam {}.",
            count(locale, v, "vídeo", "vídeos"),
            count(locale, c, "alegação checada", "alegações checadas"),
            count(locale, views, "visualização", "visualizações"),
        ),
        (Locale::Es, _) => format!(
            "Entre {from} y {to}, los revisores confirmaron {} que {} {} por nuestros aliados; al identificarse por primera vez, esos videos sumaban {}.",
            count(locale, v, "video", "videos"),
            if v == 1 { "repetía" } else { "repetían" },
            count(
                locale,
                c,
                "afirmación verificada",
                "afirmaciones verificadas"
            ),
            count(locale, views, "visualización", "visualizaciones"),
        ),
        (Locale::Id, _) => format!(
            "Antara {from} dan {to}, peninjau mengonfirmasi {} video mengulang {} klaim yang telah diperiksa mitra kami; saat pertama kali cocok, video tersebut memiliki {} tayangan.",
            n(v),
            n(c),
            n(views),
        ),
    };
    let mut paragraphs = vec![confirmed];
    if input.summary.scanned > 0 {
        let (s, m) = (input.summary.scanned, t.unique_videos);
        paragraphs.push(match locale {
            Locale::En => format!(
                "The service scanned {} in this period and these markets; {} ({pct}) had a match logged for review.",
                count(locale, s, "video", "videos"),
                n(m)
            ),
            Locale::Pt => format!(
                "O serviço analisou {} neste período e nestes mercados, dos quais {} ({pct}) com correspondência registrada para revisão.",
                count(locale, s, "vídeo", "vídeos"),
                n(m)
            ),
            Locale::Es => format!(
                "El servicio analizó {} en este período y estos mercados, de los cuales {} ({pct}) con una coincidencia registrada para revisión.",
                count(locale, s, "video", "videos"),
                n(m)
            ),
            Locale::Id => format!(
                "Layanan memindai {} video dalam periode dan pasar ini; {} ({pct}) memiliki kecocokan yang dicatat untuk ditinjau.",
                n(s),
                n(m)
            ),
        });
    }
    let (h, vids, k) = (t.hits, t.unique_videos, input.summary.markets);
    let (ok, no, wait) = (t.confirmed, t.rejected, t.pending);
    let (rm, lb, lim) = (t.removed, t.labelled, t.limited);
    paragraphs.push(match locale {
        Locale::En => format!(
            "In all, {} on {} in {} {} logged for review: reviewers confirmed {} and rejected {} as false matches, and {} awaited review when this report was generated. Of the confirmed matches, {} led to the video's removal, {} to a label with the fact-check and {} to limited distribution.",
            count(locale, h, "match", "matches"),
            count(locale, vids, "video", "videos"),
            count(locale, k, "market", "markets"),
            if h == 1 { "was" } else { "were" },
            n(ok), n(no), n(wait), n(rm), n(lb), n(lim),
        ),
        Locale::Pt => format!(
            "No total, {} para revisão {} em {} de {}: os revisores confirmaram {} e rejeitaram {} como falsas correspondências, com {} ainda {} de revisão quando este relatório foi gerado. Das correspondências confirmadas: remoção do vídeo em {}, rótulo com a checagem em {} e alcance limitado em {}.",
            if h == 1 { "foi registrada" } else { "foram registradas" },
            count(locale, h, "correspondência", "correspondências"),
            count(locale, vids, "vídeo", "vídeos"),
            count(locale, k, "mercado", "mercados"),
            n(ok), n(no), n(wait),
            if wait == 1 { "pendente" } else { "pendentes" },
            n(rm), n(lb), n(lim),
        ),
        Locale::Es => format!(
            "En total, {} para revisión {} en {} de {}: los revisores confirmaron {} y rechazaron {} como falsas coincidencias, con {} aún {} de revisión al generarse este informe. De las coincidencias confirmadas: eliminación del video en {}, etiqueta con la verificación en {} y distribución limitada en {}.",
            if h == 1 { "se registró" } else { "se registraron" },
            count(locale, h, "coincidencia", "coincidencias"),
            count(locale, vids, "video", "videos"),
            count(locale, k, "mercado", "mercados"),
            n(ok), n(no), n(wait),
            if wait == 1 { "pendiente" } else { "pendientes" },
            n(rm), n(lb), n(lim),
        ),
        Locale::Id => format!(
            "Secara keseluruhan, {} kecocokan pada {} video di {} pasar dicatat untuk ditinjau: peninjau mengonfirmasi {} dan menolak {} sebagai kecocokan keliru, dan {} masih menunggu tinjauan saat laporan ini dibuat. Dari kecocokan terkonfirmasi: video dihapus pada {}, diberi label cek fakta pada {}, dan distribusinya dibatasi pada {}.",
            n(h), n(vids), n(k), n(ok), n(no), n(wait), n(rm), n(lb), n(lim),
        ),
    });
    let r = t.refutations;
    if r > 0 {
        paragraphs.push(match locale {
            Locale::En => format!(
                "A further {} refuted a fact-checked claim (counter-speech), not counted above.",
                count(locale, r, "matched video", "matched videos")
            ),
            Locale::Pt => format!(
                "Além disso, {} uma alegação checada (contradiscurso); não entram nas contagens acima.",
                count(locale, r, "vídeo identificado refutava", "vídeos identificados refutavam")
            ),
            Locale::Es => format!(
                "Además, {} una afirmación verificada (contradiscurso); no se cuentan arriba.",
                count(locale, r, "video identificado refutaba", "videos identificados refutaban")
            ),
            Locale::Id => format!(
                "Selain itu, {} video yang cocok membantah klaim terperiksa (kontra-narasi); tidak dihitung di atas.",
                n(r)
            ),
        });
    }
    paragraphs
}

/// The method note: what is counted, how, on what clock, and the
/// thresholds in force.
pub fn method(input: &ReportInput) -> String {
    let locale = input.locale;
    let t = &input.summary.totals;
    let (from, to) = period(input);
    let markets = if input.filter.markets.is_empty() {
        super::words::words(locale).all_markets.to_string()
    } else {
        input.filter.markets.join(", ")
    };
    let (auto, unreviewed) = (t.auto, t.auto_unreviewed);
    let reviewed = auto.saturating_sub(unreviewed);
    let n = |v: u64| locale.number(v);
    let threshold = |x: f32| locale.decimal(f64::from(x), 2);
    let (review_at, auto_at) = (
        threshold(input.summary.review_threshold),
        threshold(input.summary.auto_threshold),
    );
    let days = match (input.from, input.to) {
        (Some(from), Some(to)) => Some((to - from).num_days().max(1) as u64),
        _ => None,
    };
    let text = match locale {
        Locale::En => format!(
            "Counts cover videos observed from {from} to {to} (UTC) in {markets}. Videos scanned are counted per day as they are scored; a match is counted once per video and claim, on the day it was first observed. Times are measured on the service's clock from the moment a match was first logged; percentiles are nearest-rank. Of {} automatic-level matches, reviewers examined {} and left {} unreviewed. {} Thresholds in force when the report was generated: review {review_at}, automatic {auto_at}.",
            n(auto), n(reviewed), n(unreviewed),
            days.map_or("No previous period is compared: the report has no start or end date.".into(),
                |d| format!("The previous period is the {} days before it.", n(d))),
        ),
        Locale::Pt => format!(
            "As contagens cobrem vídeos observados de {from} a {to} (UTC) em {markets}. Os vídeos analisados são contados por dia, à medida que são avaliados; uma correspondência é contada uma vez por vídeo e alegação, no dia em que foi observada pela primeira vez. Os tempos são medidos no relógio do serviço a partir do primeiro registro da correspondência; os percentis são por posição mais próxima. Das {} correspondências de nível automático, os revisores examinaram {} e deixaram {} sem revisão. {} Limiares em vigor quando o relatório foi gerado: revisão {review_at}, automático {auto_at}.",
            n(auto), n(reviewed), n(unreviewed),
            days.map_or("Nenhum período anterior é comparado: o relatório não tem data de início ou de fim.".into(),
                |d| format!("O período anterior são os {} dias que o antecedem.", n(d))),
        ),
        Locale::Es => format!(
            "Los recuentos cubren videos observados desde {from} hasta {to} (UTC) en {markets}. Los videos analizados se cuentan por día a medida que se evalúan; una coincidencia se cuenta una vez por video y afirmación, el día en que se observó por primera vez. Los tiempos se miden con el reloj del servicio desde el primer registro de la coincidencia; los percentiles son de rango más cercano. De {} coincidencias de nivel automático, los revisores examinaron {} y dejaron {} sin revisión. {} Umbrales vigentes al generarse el informe: revisión {review_at}, automático {auto_at}.",
            n(auto), n(reviewed), n(unreviewed),
            days.map_or("No se compara un período anterior: el informe no tiene fecha de inicio o de fin.".into(),
                |d| format!("El período anterior son los {} días que lo preceden.", n(d))),
        ),
        Locale::Id => format!(
            "Penghitungan mencakup video yang diamati dari {from} sampai {to} (UTC) di {markets}. Video yang dipindai dihitung per hari saat dinilai; kecocokan dihitung sekali per video dan klaim, pada hari pertama kali diamati. Waktu diukur dengan jam layanan sejak kecocokan pertama kali dicatat; persentil memakai peringkat terdekat. Dari {} kecocokan tingkat otomatis, peninjau memeriksa {} dan {} tidak ditinjau. {} Ambang yang berlaku saat laporan dibuat: tinjauan {review_at}, otomatis {auto_at}.",
            n(auto), n(reviewed), n(unreviewed),
            days.map_or("Tidak ada periode sebelumnya yang dibandingkan: laporan tidak memiliki tanggal awal atau akhir.".into(),
                |d| format!("Periode sebelumnya adalah {} hari sebelumnya.", n(d))),
        ),
    };
    match super::filters::method_sentence(&input.filter, locale) {
        Some(restricted) => format!("{text} {restricted}"),
        None => text,
    }
}
