//! Places named by nickname: creators say "a Ilha do Amor", "La Feliz",
//! "la Arenosa", "kota Pahlawan" or "a capital paranaense" where a
//! fact-check writes São Luís, Mar del Plata, Barranquilla, Surabaya or
//! Curitiba. Two checks of one falsehood in two cities differ by the city
//! alone (`siblings.rs`), and the small encoder does not know most of
//! these names; so the usual names of the places a text names by nickname
//! (and of the colloquial words it says, `colloquial.rs`) are read beside
//! it: in the words searched and compared with claims, in the words that
//! tell siblings apart and in the text the encoder embeds. The excerpt
//! shown keeps the content's words, without the usual names.
//!
//! Written here from common knowledge of the partners' countries (Brazil,
//! Mexico, Colombia, Argentina, Indonesia): cities' nicknames, capitals
//! named by their state's demonym ("a capital gaúcha", "la capital
//! tapatía") and "the capital of <state>" in Portuguese, Spanish and
//! Indonesian ("capital do Amazonas", "ibu kota Jateng"). Nicknames that are everyday phrases ("la
//! nevera", Bogotá, is also the fridge; "solo", Surakarta, is "alone" in
//! Spanish and Portuguese) are left out.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use crate::text::{fold, words};

/// (nickname, the place's usual name). Nicknames are folded words.
const NICKNAMES: &[(&str, &str)] = &[
    // Brazil.
    ("soteropolis", "Salvador"),
    ("cidade maravilhosa", "Rio de Janeiro"),
    ("terra da garoa", "São Paulo"),
    ("sampa", "São Paulo"),
    ("bh", "Belo Horizonte"),
    ("beaga", "Belo Horizonte"),
    ("poa", "Porto Alegre"),
    ("floripa", "Florianópolis"),
    ("ilha da magia", "Florianópolis"),
    ("veneza brasileira", "Recife"),
    ("cidade das mangueiras", "Belém"),
    ("ilha do amor", "São Luís"),
    ("jamaica brasileira", "São Luís"),
    ("cidade verde", "Teresina"),
    ("cidade do sol", "Natal"),
    ("cidade morena", "Campo Grande"),
    ("capital do agreste", "Caruaru"),
    ("princesa do sertao", "Feira de Santana"),
    ("manchester catarinense", "Joinville"),
    ("manchester paulista", "Sorocaba"),
    // Porto Alegre's people as written, with a hyphen (two words here);
    // `DEMONYMS` holds the one-word spelling.
    ("porto alegrense", "Porto Alegre"),
    ("porto alegrenses", "Porto Alegre"),
    ("noiva da colina", "Piracicaba"),
    ("maior cidade de sc", "Joinville"),
    ("maior cidade catarinense", "Joinville"),
    ("capital federal", "Brasília"),
    ("capital paulista", "São Paulo"),
    ("capital carioca", "Rio de Janeiro"),
    ("capital fluminense", "Rio de Janeiro"),
    ("capital mineira", "Belo Horizonte"),
    ("capital baiana", "Salvador"),
    ("capital gaucha", "Porto Alegre"),
    ("capital paranaense", "Curitiba"),
    ("capital catarinense", "Florianópolis"),
    ("capital pernambucana", "Recife"),
    ("capital cearense", "Fortaleza"),
    ("capital paraense", "Belém"),
    ("capital amazonense", "Manaus"),
    ("capital maranhense", "São Luís"),
    ("capital piauiense", "Teresina"),
    ("capital potiguar", "Natal"),
    ("capital paraibana", "João Pessoa"),
    ("capital alagoana", "Maceió"),
    ("capital sergipana", "Aracaju"),
    ("capital capixaba", "Vitória"),
    ("capital goiana", "Goiânia"),
    ("capital mato grossense", "Cuiabá"),
    ("capital matogrossense", "Cuiabá"),
    ("capital sul mato grossense", "Campo Grande"),
    ("capital tocantinense", "Palmas"),
    ("capital rondoniense", "Porto Velho"),
    ("capital acreana", "Rio Branco"),
    ("capital roraimense", "Boa Vista"),
    ("capital amapaense", "Macapá"),
    ("cidade sorriso", "Curitiba"),
    ("terra da luz", "Fortaleza"),
    ("jampa", "João Pessoa"),
    ("cidade das pontes", "Recife"),
    ("rainha da borborema", "Campina Grande"),
    ("manchester mineira", "Juiz de Fora"),
    ("capital do meio do mundo", "Macapá"),
    ("meio do mundo", "Macapá"),
    ("pequena londres", "Londrina"),
    ("cidade cancao", "Maringá"),
    ("princesa dos campos", "Ponta Grossa"),
    ("roma negra", "Salvador"),
    ("bsb", "Brasília"),
    ("paris dos tropicos", "Manaus"),
    // Mexico.
    ("chilangolandia", "Ciudad de México"),
    ("capital tapatia", "Guadalajara"),
    ("capital poblana", "Puebla"),
    ("capital yucateca", "Mérida"),
    ("capital regiomontana", "Monterrey"),
    ("capital potosina", "San Luis Potosí"),
    ("capital queretana", "Querétaro"),
    ("capital oaxaquena", "Oaxaca"),
    ("capital chiapaneca", "Tuxtla Gutiérrez"),
    ("capital tabasquena", "Villahermosa"),
    ("capital sonorense", "Hermosillo"),
    ("capital sinaloense", "Culiacán"),
    ("capital michoacana", "Morelia"),
    ("capital veracruzana", "Xalapa"),
    ("capital hidalguense", "Pachuca"),
    ("capital mexiquense", "Toluca"),
    ("capital zacatecana", "Zacatecas"),
    ("capital coahuilense", "Saltillo"),
    ("capital guerrerense", "Chilpancingo"),
    ("perla tapatia", "Guadalajara"),
    ("sultana del norte", "Monterrey"),
    ("la angelopolis", "Puebla"),
    ("ciudad blanca", "Mérida"),
    ("tierra jarocha", "Veracruz"),
    ("puerto jarocho", "Veracruz"),
    ("bella airosa", "Pachuca"),
    ("guanatos", "Guadalajara"),
    ("angelopolis", "Puebla"),
    ("atenas veracruzana", "Xalapa"),
    ("juaritos", "Ciudad Juárez"),
    ("perla de la laguna", "Torreón"),
    ("edomex", "Estado de México"),
    ("el df", "Ciudad de México"),
    ("cdmx", "Ciudad de México"),
    ("atenas de mexico", "Saltillo"),
    ("culichi", "Culiacán"),
    ("culichilandia", "Culiacán"),
    ("perla del pacifico", "Mazatlán"),
    ("gdl", "Guadalajara"),
    ("mty", "Monterrey"),
    ("ags", "Aguascalientes"),
    ("tierra de la gente buena", "Aguascalientes"),
    ("capital hidrocalida", "Aguascalientes"),
    ("hidrocalida", "Aguascalientes"),
    ("capital duranguense", "Durango"),
    ("capital tamaulipeca", "Ciudad Victoria"),
    ("capital chihuahuense", "Chihuahua"),
    ("capital morelense", "Cuernavaca"),
    ("capital nayarita", "Tepic"),
    ("capital colimense", "Colima"),
    ("capital campechana", "Campeche"),
    ("capital quintanarroense", "Chetumal"),
    ("capital tlaxcalteca", "Tlaxcala"),
    ("capital guanajuatense", "Guanajuato"),
    ("capital sudcaliforniana", "La Paz"),
    ("capital bajacaliforniana", "Mexicali"),
    // Colombia.
    ("la arenosa", "Barranquilla"),
    ("curramba", "Barranquilla"),
    ("medallo", "Medellín"),
    ("puerta de oro de colombia", "Barranquilla"),
    ("sucursal del cielo", "Cali"),
    ("eterna primavera", "Medellín"),
    ("la heroica", "Cartagena"),
    ("corralito de piedra", "Cartagena"),
    ("ciudad bonita", "Bucaramanga"),
    ("perla del otun", "Pereira"),
    ("capital antioquena", "Medellín"),
    ("capital paisa", "Medellín"),
    ("capital vallecaucana", "Cali"),
    ("capital santandereana", "Bucaramanga"),
    ("capital risaraldense", "Pereira"),
    ("capital caldense", "Manizales"),
    ("capital tolimense", "Ibagué"),
    ("capital huilense", "Neiva"),
    ("capital boyacense", "Tunja"),
    ("capital narinense", "Pasto"),
    ("sultana del valle", "Cali"),
    ("ciudad de los parques", "Bucaramanga"),
    ("la querendona", "Pereira"),
    ("atenas suramericana", "Bogotá"),
    ("ciudad sorpresa", "Pasto"),
    ("perla del norte", "Cúcuta"),
    ("capital nortesantandereana", "Cúcuta"),
    ("ciudad de las puertas abiertas", "Manizales"),
    ("capital musical", "Ibagué"),
    ("capital musical de colombia", "Ibagué"),
    ("perla de america", "Santa Marta"),
    ("capital samaria", "Santa Marta"),
    ("capital del magdalena", "Santa Marta"),
    ("ciudad blanca de colombia", "Popayán"),
    ("capital caucana", "Popayán"),
    ("capital del meta", "Villavicencio"),
    ("puerta del llano", "Villavicencio"),
    ("capital sucrena", "Sincelejo"),
    ("capital del cesar", "Valledupar"),
    ("capital mundial del vallenato", "Valledupar"),
    // Argentina.
    ("la feliz", "Mar del Plata"),
    ("mardel", "Mar del Plata"),
    ("baires", "Buenos Aires"),
    ("capital cordobesa", "Córdoba"),
    ("capital santafesina", "Santa Fe"),
    ("capital mendocina", "Mendoza"),
    ("capital tucumana", "San Miguel de Tucumán"),
    ("capital saltena", "Salta"),
    ("capital bonaerense", "La Plata"),
    ("capital neuquina", "Neuquén"),
    ("capital entrerriana", "Paraná"),
    ("capital chaquena", "Resistencia"),
    ("capital misionera", "Posadas"),
    ("capital correntina", "Corrientes"),
    ("capital jujena", "San Salvador de Jujuy"),
    ("la docta", "Córdoba"),
    ("cuna de la bandera", "Rosario"),
    ("ciudad de las diagonales", "La Plata"),
    ("reina del plata", "Buenos Aires"),
    ("jardin de la republica", "Tucumán"),
    ("tierra del sol y del buen vino", "Mendoza"),
    ("perla del atlantico", "Mar del Plata"),
    ("caba", "Buenos Aires"),
    ("salta la linda", "Salta"),
    ("chicago argentina", "Rosario"),
    ("la chicago argentina", "Rosario"),
    ("capital sanjuanina", "San Juan"),
    ("capital riojana", "La Rioja"),
    (
        "capital catamarquena",
        "San Fernando del Valle de Catamarca",
    ),
    ("capital santiaguena", "Santiago del Estero"),
    ("capital puntana", "San Luis"),
    ("capital pampeana", "Santa Rosa"),
    ("capital rionegrina", "Viedma"),
    ("capital chubutense", "Rawson"),
    ("capital fueguina", "Ushuaia"),
    ("capital formosena", "Formosa"),
    ("capital santacrucena", "Río Gallegos"),
    // Indonesia.
    ("big durian", "Jakarta"),
    ("kota pahlawan", "Surabaya"),
    ("arek suroboyo", "Surabaya"),
    ("cah jogja", "Yogyakarta"),
    ("wong solo", "Surakarta"),
    ("kota kembang", "Bandung"),
    ("paris van java", "Bandung"),
    ("kota gudeg", "Yogyakarta"),
    ("kota pelajar", "Yogyakarta"),
    ("jogja", "Yogyakarta"),
    ("kota lumpia", "Semarang"),
    ("kota atlas", "Semarang"),
    ("kota hujan", "Bogor"),
    ("kota daeng", "Makassar"),
    ("kota anging mammiri", "Makassar"),
    ("kota khatulistiwa", "Pontianak"),
    ("kota tapis berseri", "Bandar Lampung"),
    ("kota patriot", "Bekasi"),
    ("kota bertuah", "Pekanbaru"),
    ("kota kretek", "Kudus"),
    ("kota apel", "Malang"),
    ("kota bengawan", "Surakarta"),
    ("kota bawang", "Brebes"),
    ("kota bawang merah", "Brebes"),
    ("kota telur asin", "Brebes"),
    ("kota minyak", "Balikpapan"),
    ("kota tepian", "Samarinda"),
    ("kota seribu sungai", "Banjarmasin"),
    ("kota serambi mekkah", "Banda Aceh"),
    ("kota batik", "Pekalongan"),
    ("kota udang", "Cirebon"),
    ("kota pempek", "Palembang"),
    // "Wong kito galo", "we are all one people": how Palembang names its
    // own.
    ("wong kito", "Palembang"),
    ("bumi sriwijaya", "Palembang"),
    ("pulau dewata", "Bali"),
    ("pulau seribu masjid", "Lombok"),
    ("lotim", "Lombok Timur"),
    ("kota solo", "Surakarta"),
    ("serambi mekkah", "Aceh"),
    ("kota belimbing", "Depok"),
    ("tangsel", "Tangerang Selatan"),
    ("jaksel", "Jakarta Selatan"),
    ("jakut", "Jakarta Utara"),
    ("jakbar", "Jakarta Barat"),
    ("jaktim", "Jakarta Timur"),
    ("jakpus", "Jakarta Pusat"),
    ("kota delta", "Sidoarjo"),
    ("kota dodol", "Garut"),
    ("ambon manise", "Ambon"),
    ("kota manise", "Ambon"),
    ("kota musik", "Ambon"),
    ("kota tembakau", "Jember"),
    ("kota suwar-suwir", "Jember"),
    ("kota tinutuan", "Manado"),
    ("kota kasih", "Kupang"),
    ("kota karang", "Kupang"),
    ("kota reog", "Ponorogo"),
    ("kota angin", "Nganjuk"),
    ("kota tape", "Bondowoso"),
    ("kota ukir", "Jepara"),
    ("kota beriman", "Balikpapan"),
    ("serambi madinah", "Gorontalo"),
    ("kota bingkuang", "Padang"),
    ("bumi cenderawasih", "Papua"),
];

/// The people of a city, as a creator greets them ("raza de Hermosillo"
/// is as often "cachanillas" for Mexicali, "galera" for the
/// "piracicabanos"): each line the folded forms of one demonym (either
/// gender, one and many) and the city. Left out: demonyms of a state or
/// region more than of its capital ("paulista", "mineiro", "gaúcho",
/// "capixaba", "paisa", "llanero", "yucateco"), and those that are also
/// everyday words, other peoples or a club's fans ("regio" is "splendid"
/// in Argentina, "rolo" a mess in Brazil, "vallenato" a music,
/// "macaense" of Macau too, "santista" and "platense" football fans).
const DEMONYMS: &[(&str, &str)] = &[
    // Brazil.
    ("carioca cariocas", "Rio de Janeiro"),
    ("paulistano paulistanos paulistana paulistanas", "São Paulo"),
    (
        "soteropolitano soteropolitanos soteropolitana soteropolitanas",
        "Salvador",
    ),
    ("recifense recifenses", "Recife"),
    ("fortalezense fortalezenses", "Fortaleza"),
    ("manauara manauaras manauense manauenses", "Manaus"),
    ("belenense belenenses", "Belém"),
    ("curitibano curitibanos curitibana curitibanas", "Curitiba"),
    ("portoalegrense portoalegrenses", "Porto Alegre"),
    ("goianiense goianienses", "Goiânia"),
    ("cuiabano cuiabanos cuiabana cuiabanas", "Cuiabá"),
    ("natalense natalenses", "Natal"),
    ("teresinense teresinenses", "Teresina"),
    ("ludovicense ludovicenses", "São Luís"),
    ("maceioense maceioenses", "Maceió"),
    ("aracajuano aracajuanos aracajuana aracajuanas", "Aracaju"),
    ("pessoense pessoenses", "João Pessoa"),
    ("manezinho manezinhos manezinha manezinhas", "Florianópolis"),
    ("florianopolitano florianopolitanos", "Florianópolis"),
    ("londrinense londrinenses", "Londrina"),
    ("campineiro campineiros campineira campineiras", "Campinas"),
    ("campinense campinenses", "Campina Grande"),
    ("sorocabano sorocabanos sorocabana sorocabanas", "Sorocaba"),
    (
        "piracicabano piracicabanos piracicabana piracicabanas",
        "Piracicaba",
    ),
    ("niteroiense niteroienses", "Niterói"),
    ("uberlandense uberlandenses", "Uberlândia"),
    (
        "joinvilense joinvilenses joinvillense joinvillenses",
        "Joinville",
    ),
    ("macapaense macapaenses", "Macapá"),
    ("petrolinense petrolinenses", "Petrolina"),
    ("caruaruense caruaruenses", "Caruaru"),
    ("santareno santarenos santarena santarenas", "Santarém"),
    ("vitoriense vitorienses", "Vitória"),
    ("contagense contagenses", "Contagem"),
    // Mexico.
    ("chilango chilangos chilanga chilangas", "Ciudad de México"),
    ("tapatio tapatios tapatia tapatias", "Guadalajara"),
    (
        "regiomontano regiomontanos regiomontana regiomontanas regios",
        "Monterrey",
    ),
    ("poblanos poblanas", "Puebla"),
    ("meridano meridanos meridana meridanas", "Mérida"),
    ("hermosillense hermosillenses", "Hermosillo"),
    ("cachanilla cachanillas", "Mexicali"),
    ("tijuanense tijuanenses", "Tijuana"),
    ("juarense juarenses", "Ciudad Juárez"),
    ("culiacanense culiacanenses", "Culiacán"),
    ("queretano queretanos queretana queretanas", "Querétaro"),
    ("toluqueno toluquenos toluquena toluquenas", "Toluca"),
    ("oaxaqueno oaxaquenos oaxaquena oaxaquenas", "Oaxaca"),
    ("saltillense saltillenses", "Saltillo"),
    ("hidrocalidos hidrocalidas", "Aguascalientes"),
    ("xalapeno xalapenos xalapena xalapenas", "Xalapa"),
    ("moreliano morelianos moreliana morelianas", "Morelia"),
    ("villahermosino villahermosinos", "Villahermosa"),
    ("tuxtleco tuxtlecos tuxtleca tuxtlecas", "Tuxtla Gutiérrez"),
    // Colombia.
    ("bogotano bogotanos bogotana bogotanas", "Bogotá"),
    ("medellinense medellinenses", "Medellín"),
    ("caleno calenos calena calenas", "Cali"),
    (
        "barranquillero barranquilleros barranquillera barranquilleras",
        "Barranquilla",
    ),
    (
        "cartagenero cartageneros cartagenera cartageneras",
        "Cartagena",
    ),
    ("bumangues bumangueses", "Bucaramanga"),
    ("pereirano pereiranos pereirana pereiranas", "Pereira"),
    ("manizaleno manizalenos manizalena manizalenas", "Manizales"),
    ("cucuteno cucutenos cucutena cucutenas", "Cúcuta"),
    ("samario samarios samarias", "Santa Marta"),
    ("ibaguereno ibaguerenos ibaguerena ibaguerenas", "Ibagué"),
    ("pastuso pastusos pastusa pastusas", "Pasto"),
    ("villavicense villavicenses", "Villavicencio"),
    // Argentina.
    ("porteno portenos portena portenas", "Buenos Aires"),
    ("cordobes cordobeses cordobesa cordobesas", "Córdoba"),
    ("rosarino rosarinos rosarina rosarinas", "Rosario"),
    ("mendocino mendocinos mendocina mendocinas", "Mendoza"),
    ("tucumano tucumanos tucumana tucumanas", "Tucumán"),
    ("salteno saltenos saltena saltenas", "Salta"),
    ("neuquino neuquinos neuquina neuquinas", "Neuquén"),
    (
        "santafesino santafesinos santafesina santafesinas",
        "Santa Fe",
    ),
    ("marplatense marplatenses", "Mar del Plata"),
    (
        "correntino correntinos correntina correntinas",
        "Corrientes",
    ),
    ("jujeno jujenos jujena jujenas", "Jujuy"),
    ("sanjuanino sanjuaninos sanjuanina sanjuaninas", "San Juan"),
];

/// States, departments and provinces whose capital a text may name as
/// "the capital of" them: the words of each way of saying "capital of"
/// in the country's language, the region (folded words) and its capital.
const CAPITAL_OF: &[(&[&str], &str, &str)] = &[
    (BR, "acre", "Rio Branco"),
    (BR, "alagoas", "Maceió"),
    (BR, "amapa", "Macapá"),
    (BR, "amazonas", "Manaus"),
    (BR, "bahia", "Salvador"),
    (BR, "ceara", "Fortaleza"),
    (BR, "espirito santo", "Vitória"),
    (BR, "goias", "Goiânia"),
    (BR, "maranhao", "São Luís"),
    (BR, "mato grosso", "Cuiabá"),
    (BR, "mato grosso do sul", "Campo Grande"),
    (BR, "minas", "Belo Horizonte"),
    (BR, "minas gerais", "Belo Horizonte"),
    (BR, "para", "Belém"),
    (BR, "paraiba", "João Pessoa"),
    (BR, "parana", "Curitiba"),
    (BR, "pernambuco", "Recife"),
    (BR, "piaui", "Teresina"),
    (BR, "rio grande do norte", "Natal"),
    (BR, "rio grande do sul", "Porto Alegre"),
    (BR, "rondonia", "Porto Velho"),
    (BR, "roraima", "Boa Vista"),
    (BR, "santa catarina", "Florianópolis"),
    (BR, "sc", "Florianópolis"),
    (BR, "sergipe", "Aracaju"),
    (BR, "tocantins", "Palmas"),
    (ES, "jalisco", "Guadalajara"),
    (ES, "nuevo leon", "Monterrey"),
    (ES, "yucatan", "Mérida"),
    (ES, "veracruz", "Xalapa"),
    (ES, "tabasco", "Villahermosa"),
    (ES, "chiapas", "Tuxtla Gutiérrez"),
    (ES, "oaxaca", "Oaxaca"),
    (ES, "sonora", "Hermosillo"),
    (ES, "sinaloa", "Culiacán"),
    (ES, "michoacan", "Morelia"),
    (ES, "guerrero", "Chilpancingo"),
    (ES, "coahuila", "Saltillo"),
    (ES, "antioquia", "Medellín"),
    (ES, "valle", "Cali"),
    (ES, "valle del cauca", "Cali"),
    (ES, "atlantico", "Barranquilla"),
    (ES, "bolivar", "Cartagena"),
    (ES, "santander", "Bucaramanga"),
    (ES, "risaralda", "Pereira"),
    (ES, "la provincia de buenos aires", "La Plata"),
    (ES, "tucuman", "San Miguel de Tucumán"),
    (ES, "mendoza", "Mendoza"),
    (BR, "provincia de buenos aires", "La Plata"),
    (ID, "jateng", "Semarang"),
    (ID, "jawa tengah", "Semarang"),
    (ID, "jatim", "Surabaya"),
    (ID, "jawa timur", "Surabaya"),
    (ID, "jabar", "Bandung"),
    (ID, "jawa barat", "Bandung"),
    (ID, "diy", "Yogyakarta"),
    (ID, "banten", "Serang"),
    (ID, "bali", "Denpasar"),
    (ID, "ntb", "Mataram"),
    (ID, "ntt", "Kupang"),
    (ID, "aceh", "Banda Aceh"),
    (ID, "sumut", "Medan"),
    (ID, "sumatera utara", "Medan"),
    (ID, "sumbar", "Padang"),
    (ID, "sumatera barat", "Padang"),
    (ID, "sumsel", "Palembang"),
    (ID, "sumatera selatan", "Palembang"),
    (ID, "riau", "Pekanbaru"),
    (ID, "lampung", "Bandar Lampung"),
    (ID, "kalbar", "Pontianak"),
    (ID, "kalteng", "Palangka Raya"),
    (ID, "kalsel", "Banjarmasin"),
    (ID, "kaltim", "Samarinda"),
    (ID, "sulut", "Manado"),
    (ID, "sulteng", "Palu"),
    (ID, "sulsel", "Makassar"),
    (ID, "sultra", "Kendari"),
    (ID, "papua", "Jayapura"),
    (ID, "maluku", "Ambon"),
];

/// "Capital of" in Portuguese, Spanish and Indonesian.
const BR: &[&str] = &["capital do", "capital da", "capital de"];
const ES: &[&str] = &["capital de", "capital del"];
const ID: &[&str] = &["ibu kota", "ibukota"];

/// A nickname's (or colloquial word's) words, its usual name, and whether
/// it is read only after an amount.
type Phrase = (Vec<&'static str>, &'static str, bool);

/// The nicknames and colloquial words (`colloquial.rs`) by their first
/// word, each word's longest first (so "kota bawang merah" is read before
/// "kota bawang").
fn phrases() -> &'static HashMap<&'static str, Vec<Phrase>> {
    static PHRASES: OnceLock<HashMap<&'static str, Vec<Phrase>>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut all: Vec<Phrase> = NICKNAMES
            .iter()
            .map(|(nickname, place)| (nickname.split(' ').collect::<Vec<_>>(), *place, false))
            .collect();
        for (forms, city) in DEMONYMS {
            all.extend(forms.split(' ').map(|form| (vec![form], *city, false)));
        }
        for (forms, region, capital) in CAPITAL_OF {
            for form in *forms {
                let words = form.split(' ').chain(region.split(' ')).collect();
                all.push((words, *capital, false));
            }
        }
        for &(said, usual, after_amount) in super::colloquial::COLLOQUIAL {
            all.push((said.split(' ').collect(), usual, after_amount));
        }
        all.sort_by_key(|(words, _, _)| std::cmp::Reverse(words.len()));
        let mut by_first: HashMap<&'static str, Vec<Phrase>> = HashMap::default();
        for phrase in all {
            by_first.entry(phrase.0[0]).or_default().push(phrase);
        }
        by_first
    })
}

/// Returns the usual names of the places `text` names by nickname and of
/// the colloquial words it says, each once, in the order they come.
pub(super) fn usual_names(text: &str) -> Vec<&'static str> {
    let folded = fold(text);
    let said: Vec<&str> = words(&folded).collect();
    names_in(&said, |at| {
        let after_amount = at > 0 && super::numbers::says_amount(said[at - 1]);
        let (phrase, name, _) =
            phrases()
                .get(said[at])?
                .iter()
                .find(|(phrase, _, needs_amount)| {
                    (!needs_amount || after_amount) && said[at..].starts_with(phrase)
                })?;
        Some((phrase.len(), *name))
    })
}

/// Walks `said` (folded words) from the first: where `found` gives a
/// phrase starting at a word (its length in words and its name), takes
/// its name and goes on after it. Returns the names, each once, in the
/// order they come.
fn names_in(
    said: &[&str],
    found: impl Fn(usize) -> Option<(usize, &'static str)>,
) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    let mut at = 0;
    while at < said.len() {
        match found(at) {
            Some((length, name)) => {
                if !names.contains(&name) {
                    names.push(name);
                }
                at += length;
            }
            None => at += 1,
        }
    }
    names
}

/// Regions of `CAPITAL_OF` that are everyday words, names or other
/// things when said alone ("para" is a preposition, "minas" also girls,
/// "valle" a valley, "guerrero" and "bolivar" surnames, "santander" a
/// bank, "acre" sour, "bahia" any bay in Spanish, "sc" and "diy"
/// letters): they count only after "capital of".
const NOT_ALONE: &[&str] = &[
    "para",
    "minas",
    "valle",
    "guerrero",
    "bolivar",
    "santander",
    "acre",
    "bahia",
    "sc",
    "diy",
];

/// The regions of `CAPITAL_OF` said alone (folded words) with their
/// capitals, by first word, each word's longest first (so "mato grosso do
/// sul" is read before "mato grosso").
fn regions() -> &'static HashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>> {
    type Regions = HashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>>;
    static REGIONS: OnceLock<Regions> = OnceLock::new();
    REGIONS.get_or_init(|| {
        let mut all: Vec<(Vec<&'static str>, &'static str)> = CAPITAL_OF
            .iter()
            .filter(|(_, region, _)| !NOT_ALONE.contains(region) && !region.starts_with("la "))
            .map(|(_, region, capital)| (region.split(' ').collect(), *capital))
            .collect();
        all.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        let mut by_first: Regions = HashMap::default();
        for region in all {
            let regions = by_first.entry(region.0[0]).or_default();
            if !regions.contains(&region) {
                regions.push(region);
            }
        }
        by_first
    })
}

/// Returns the capitals of the states, departments and provinces `text`
/// names alone ("lá em Roraima": Boa Vista; "allá en Tabasco":
/// Villahermosa), each once. Not a place the text names (a state holds
/// many cities), but what tells two sibling checks apart when one is of
/// the region's capital (`siblings.rs`).
pub(super) fn capitals_of_regions(text: &str) -> Vec<&'static str> {
    let folded = fold(text);
    let said: Vec<&str> = words(&folded).collect();
    names_in(&said, |at| {
        let (region, capital) = regions()
            .get(said[at])?
            .iter()
            .find(|(region, _)| said[at..].starts_with(region))?;
        Some((region.len(), *capital))
    })
}

/// Returns the states, departments and provinces whose capitals `text`
/// names ("em São Luís": maranhao), folded, each once and by every name
/// they go by ("di Semarang": jateng, jawa tengah). A check that names a
/// city's state is about content that names the city (`named.rs`).
pub(super) fn regions_of_capitals(text: &str) -> Vec<&'static str> {
    /// Each capital's words, folded, by its first, with its regions.
    type Capitals = HashMap<String, Vec<(Vec<String>, Vec<&'static str>)>>;
    static CAPITALS: OnceLock<Capitals> = OnceLock::new();
    let capitals = CAPITALS.get_or_init(|| {
        let mut by_first: Capitals = HashMap::default();
        for (_, region, capital) in CAPITAL_OF {
            let words: Vec<String> = words(&fold(capital)).map(str::to_owned).collect();
            let same = by_first.entry(words[0].clone()).or_default();
            match same.iter_mut().find(|(known, _)| *known == words) {
                Some((_, regions)) => regions.push(region),
                None => same.push((words, vec![region])),
            }
        }
        by_first
    });
    let folded = fold(text);
    let said: Vec<&str> = words(&folded).collect();
    let mut regions: Vec<&'static str> = Vec::new();
    let mut at = 0;
    while at < said.len() {
        let named = capitals.get(said[at]).and_then(|same| {
            same.iter().find(|(capital, _)| {
                said.get(at..at + capital.len())
                    .is_some_and(|here| here.iter().zip(capital).all(|(a, b)| *a == b.as_str()))
            })
        });
        match named {
            Some((capital, named)) => {
                for region in named {
                    if !regions.contains(region) {
                        regions.push(region);
                    }
                }
                at += capital.len();
            }
            None => at += 1,
        }
    }
    regions
}

/// Returns `text` with `names` after it, or `text` itself when there are
/// none.
fn with_names<'a>(text: Cow<'a, str>, names: &[&str]) -> Cow<'a, str> {
    if names.is_empty() {
        return text;
    }
    Cow::Owned(format!("{text} ({})", names.join(", ")))
}

/// Returns each window's text as matching reads it: its words in capitals
/// in lower case (`capitals.rs`), with the usual names its sentences say
/// after it, or the window's text itself when there is nothing to change.
/// Computed once per request (`Matcher::rank_windows`) and read by every
/// stage: the lexical search and its features, the election-talk gate, the
/// encoder, runs and siblings; excerpts keep the cleaned words, without
/// the usual names.
pub fn read_windows(windows: &[crate::captions::Window]) -> Vec<Cow<'_, str>> {
    windows
        .iter()
        .zip(usual_names_of(windows))
        .map(|(window, names)| with_names(super::capitals::lowered(&window.text), &names))
        .collect()
}

/// Returns, for each window, the usual names its sentences say, each
/// sentence read once (windows of several sentences overlap: a
/// transcript's sentence is in up to six of them).
fn usual_names_of(windows: &[crate::captions::Window]) -> Vec<Vec<&'static str>> {
    let mut by_sentence: HashMap<usize, Vec<&'static str>> = HashMap::default();
    for window in windows.iter().filter(|w| w.first == w.last) {
        by_sentence
            .entry(window.first)
            .or_insert_with(|| usual_names(&window.text));
    }
    windows
        .iter()
        .map(|window| {
            if (window.first..=window.last).any(|i| !by_sentence.contains_key(&i)) {
                return usual_names(&window.text);
            }
            let mut names: Vec<&'static str> = Vec::new();
            for name in (window.first..=window.last).flat_map(|i| &by_sentence[&i]) {
                if !names.contains(name) {
                    names.push(name);
                }
            }
            names
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with the usual names it says after it, as `read_windows`
    /// reads a window.
    fn with_usual_names(text: &str) -> Cow<'_, str> {
        with_names(Cow::Borrowed(text), &usual_names(text))
    }

    #[test]
    fn a_nickname_reads_as_its_place_and_everyday_words_do_not() {
        assert_eq!(
            usual_names("povo da Ilha do Amor, o tribunal deixou as seções abertas"),
            ["São Luís"]
        );
        assert_eq!(
            usual_names("en La Feliz se esfumaron los papeles, y en la Arenosa igual"),
            ["Mar del Plata", "Barranquilla"]
        );
        assert_eq!(
            usual_names("di kota bawang merah yang nyalon dewan"),
            ["Brebes"]
        );
        assert_eq!(
            usual_names("warga wong kito jangan mau dicelup jarinya"),
            ["Palembang"]
        );
        assert_eq!(
            usual_names("o prefeito da capital mato-grossense"),
            ["Cuiabá"]
        );
        assert_eq!(
            usual_names("as urnas que mandaram pra capital do Amazonas"),
            ["Manaus"]
        );
        assert_eq!(
            usual_names("na capital da província de Buenos Aires e em Mato Grosso do Sul"),
            ["La Plata"]
        );
        assert_eq!(
            usual_names("di ibu kota Jateng dan ibukota Jawa Timur"),
            ["Semarang", "Surabaya"]
        );
        assert_eq!(usual_names("en la capital del Valle del Cauca"), ["Cali"]);
        assert_eq!(
            usual_names("pilkada di pulau dewata, kotak suara di Lotim"),
            ["Bali", "Lombok Timur"]
        );
        assert_eq!(
            usual_names("pessoal do meio do mundo, e lá na Pequena Londres"),
            ["Macapá", "Londrina"]
        );
        assert_eq!(
            usual_names("en la Atenas de México y en Culichi"),
            ["Saltillo", "Culiacán"]
        );
        assert_eq!(
            usual_names("basudara di kota manise, kalau di kota tembakau lain"),
            ["Ambon", "Jember"]
        );
        assert_eq!(
            with_usual_names("lá na capital paranaense"),
            "lá na capital paranaense (Curitiba)"
        );
        // The people of a city, either gender, one or many.
        assert_eq!(
            usual_names("cachanillas y porteñas, y una rosarina; os manezinhos"),
            ["Mexicali", "Buenos Aires", "Rosario", "Florianópolis"]
        );
        assert_eq!(usual_names("galera porto-alegrense"), ["Porto Alegre"]);
        for everyday in [
            "saqué el agua de la nevera",
            "fui solo a la fiesta",
            "uma cidade bonita e verde",
            "the capital of France",
            // A nickname that is also everyday speech is left out.
            "la linda de mi vecina votó temprano",
            "tim sukses mengajukan aju banding ke MK",
            "naik TJ ke TPS",
            // A state's people, a club's fans, "splendid" in Argentina.
            "os paulistas e os mineiros votam cedo",
            "la fiesta estuvo regia, los santistas ganaron",
        ] {
            assert!(usual_names(everyday).is_empty(), "{everyday}");
            assert!(matches!(with_usual_names(everyday), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn a_region_named_alone_gives_its_capital_and_everyday_words_do_not() {
        assert_eq!(
            capitals_of_regions("lá em Roraima os hermanos já tão votando"),
            ["Boa Vista"]
        );
        assert_eq!(
            capitals_of_regions("allá en Tabasco te llevan el tinaco"),
            ["Villahermosa"]
        );
        assert_eq!(
            capitals_of_regions("no Mato Grosso do Sul e no Mato Grosso"),
            ["Campo Grande", "Cuiabá"]
        );
        assert_eq!(capitals_of_regions("di Jawa Tengah"), ["Semarang"]);
        for everyday in [
            "vou para casa votar",
            "as minas da escola",
            "en el valle del río",
            "un guerrero de la campaña",
            "mi cuenta del Santander",
        ] {
            assert!(capitals_of_regions(everyday).is_empty(), "{everyday}");
        }
    }

    #[test]
    fn a_capital_named_gives_its_region() {
        assert_eq!(
            regions_of_capitals("o TRE estendeu a votação em São Luís e em Campo Grande"),
            ["maranhao", "mato grosso do sul"]
        );
        assert_eq!(
            regions_of_capitals("di Kota Semarang"),
            ["jateng", "jawa tengah"]
        );
        assert!(regions_of_capitals("São Paulo, são dez da manhã").is_empty());
    }

    #[test]
    fn colloquial_money_papers_and_apps_read_as_their_usual_names() {
        assert_eq!(usual_names("são mil e duzentos pila de multa"), ["reais"]);
        assert_eq!(
            usual_names("o apagão derrubou as urnas, en Londrina se cortó la luz, mati lampu"),
            ["queda de energia", "corte de luz", "listrik padam"]
        );
        assert_eq!(
            usual_names("nomás les das copia de tu mica"),
            ["credencial para votar"]
        );
        assert_eq!(
            usual_names("ditransfer gocap, kerja sehari lima jeti"),
            ["Rp 50 ribu", "juta"]
        );
        assert_eq!(
            usual_names("mandaram no zap que são cinquenta paus"),
            ["WhatsApp", "reais"]
        );
        // A unit that is also a name or a fruit is money only after an
        // amount.
        assert_eq!(usual_names("te pagan veinte lucas por el voto"), ["pesos"]);
        assert_eq!(usual_names("dos palos verdes"), ["millones de pesos"]);
        // Papers and shops, either way round.
        assert_eq!(
            usual_names("identidade com mais de dez anos não vale"),
            ["RG"]
        );
        assert_eq!(usual_names("o RG velho não vale"), ["identidade"]);
        assert_eq!(
            usual_names("les piden copia de la INE"),
            ["credencial para votar"]
        );
        assert!(usual_names("el INE organiza la elección").is_empty());
        // An acronym read by its full name and the reverse; arrests and
        // arms as told.
        assert_eq!(
            usual_names("te sacan la AUH"),
            ["Asignación Universal por Hijo"]
        );
        assert_eq!(usual_names("la Asignación Universal por Hijo"), ["AUH"]);
        assert_eq!(
            usual_names("vai sair algemado, llegaron con cuernos de chivo"),
            ["preso", "armas"]
        );
        assert_eq!(
            usual_names("vas a votar en el Oxxo"),
            ["tienda de conveniencia"]
        );
        assert_eq!(
            usual_names("quick count cuma boleh tayang jam 3 sore"),
            ["hitung cepat"]
        );
        assert_eq!(usual_names("sekarang tentara boleh nyoblos"), ["TNI"]);
        // Indonesian acronyms and their full names, either way round;
        // bodies by their full names.
        assert_eq!(
            usual_names("PSU di Papua batal, paslon dua protes"),
            ["pemungutan suara ulang", "pasangan calon"]
        );
        assert_eq!(
            usual_names("pemungutan suara ulang untuk pasangan calon nomor 2"),
            ["PSU", "paslon"]
        );
        assert_eq!(
            usual_names("o Tribunal Superior Eleitoral decidiu"),
            ["TSE"]
        );
        assert_eq!(
            usual_names("cambian las papeletas tachadas por su gallo"),
            ["boletas", "marcadas", "su candidato"]
        );
        assert_eq!(
            usual_names("o pessoal da mesa ouve o barulhinho"),
            ["mesários", "bipe"]
        );
        assert_eq!(usual_names("quem tá negativado não vota"), ["nome sujo"]);
        assert_eq!(
            usual_names("los plumones se borran y Bucareli cuenta los votos"),
            ["marcadores", "Secretaría de Gobernación"]
        );
        assert_eq!(
            usual_names("quem mora lá fora vota pelo app"),
            ["mora no exterior"]
        );
        assert_eq!(
            usual_names("si metés el sobre vacío va para el que gana"),
            ["voto en blanco"]
        );
        assert_eq!(
            usual_names("trezentão no pix pra quem mora na quebrada"),
            ["R$ 300", "na periferia"]
        );
        for everyday in [
            "Lucas votó temprano",
            "comí mangos en la plaza",
            "um pau de selfie",
            "era um conto de fadas",
            "a urna quebrada na seção",
            "la plática con el gallo de pelea",
        ] {
            assert!(usual_names(everyday).is_empty(), "{everyday}");
        }
    }

    #[test]
    fn each_windows_names_are_its_sentences_names() {
        let window = |first: usize, last: usize, text: &str| crate::captions::Window {
            text: text.to_string(),
            start_ms: 0,
            end_ms: 0,
            first,
            last,
            words: 4,
            speakers: Vec::new(),
        };
        let windows = [
            window(0, 0, "lá na capital gaúcha"),
            window(1, 1, "pagam cinquenta pila"),
            window(2, 2, "nada aqui"),
            window(0, 1, "lá na capital gaúcha pagam cinquenta pila"),
            window(1, 2, "pagam cinquenta pila nada aqui"),
        ];
        let names = usual_names_of(&windows);
        assert_eq!(
            names,
            [
                vec!["Porto Alegre"],
                vec!["reais"],
                vec![],
                vec!["Porto Alegre", "reais"],
                vec!["reais"],
            ]
        );
        // Each window's names are those read from its whole text.
        for (window, names) in windows.iter().zip(&names) {
            assert_eq!(&usual_names(&window.text), names, "{}", window.text);
        }
    }
}
