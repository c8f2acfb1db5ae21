//! Money, papers, shops, apps and election talk as creators name them:
//! "mil e duzentos pila", "la mica", "la INE", "o RG", "en el Oxxo",
//! "veinte lucas", "ditransfer gocap", "lima jeti", "mandaram no zap",
//! "paslon dua", "o pessoal da mesa", "las papeletas", "la AUH". Checks write reais,
//! the voting credential, the identity card, convenience stores,
//! thousands of pesos, Rp 50 ribu, juta, WhatsApp, "pasangan calon", the
//! poll workers, ballots, and the small encoder knows few of these words
//! (on `multilingual-dev` a caption about poll workers paid "lima jeti"
//! ranked the check of their Rp 5 juta pay sixth). Like places named by nickname (`nicknames.rs`), each is read
//! beside the creator's words by its usual name: in the words searched
//! and compared with claims, in the text the encoder embeds and in the
//! words that tell sibling checks apart; the excerpt keeps the creator's
//! words.
//!
//! Written here from common knowledge of how people talk in Brazil,
//! Mexico, Colombia, Argentina and Indonesia. Left out: words that are as
//! often something else ("feria" is a fair, "plata" silver where it is
//! not money, and where it is the encoder knows it; "platica" is money in Colombia and a
//! chat in Mexico; "quebrada" alone is "broken"). A unit of money that is also an
//! everyday word or a name ("lucas", "palos", "mangos", "paus", "conto",
//! a story) is read only after an amount: "veinte lucas", "dos palos",
//! "cinquenta paus", "cem conto".

/// A colloquial word or phrase (folded words), its usual name, and
/// whether it is read only after an amount (`numbers::says_amount`).
pub(super) type Colloquial = (&'static str, &'static str, bool);

/// The colloquial words read by their usual names.
pub(super) const COLLOQUIAL: &[Colloquial] = &[
    // Brazil: money, the app everyone forwards, campaign leaflets, the
    // voting machine.
    ("pila", "reais", false),
    ("pilas", "reais", false),
    ("conto", "reais", true),
    ("contos", "reais", true),
    ("pau", "reais", true),
    ("paus", "reais", true),
    ("mirreis", "reais", false),
    ("grana", "dinheiro", false),
    ("bufunfa", "dinheiro", false),
    ("dindin", "dinheiro", false),
    ("dindim", "dinheiro", false),
    ("zap", "WhatsApp", false),
    ("zapzap", "WhatsApp", false),
    ("zapi", "WhatsApp", false),
    ("santinho", "material de campanha", false),
    ("santinhos", "material de campanha", false),
    ("urninha", "urna eletrônica", false),
    // The identity card: checks write "RG" or "carteira de identidade",
    // people say either.
    ("rg", "identidade", false),
    ("identidade", "RG", false),
    ("maquina de votar", "urna eletrônica", false),
    ("maquininha de votar", "urna eletrônica", false),
    ("maquininha da votacao", "urna eletrônica", false),
    // Mexico: the voting credential, money.
    ("mica", "credencial para votar", false),
    // "La INE" is the card the INE issues ("el INE", the institute).
    ("la ine", "credencial para votar", false),
    ("tu ine", "credencial para votar", false),
    ("mi ine", "credencial para votar", false),
    ("su ine", "credencial para votar", false),
    // The convenience store chain.
    ("oxxo", "tienda de conveniencia", false),
    ("lana", "dinero", false),
    ("varo", "pesos", false),
    ("varos", "pesos", false),
    ("baro", "pesos", false),
    ("baros", "pesos", false),
    ("guasap", "WhatsApp", false),
    ("wasap", "WhatsApp", false),
    // Argentina, Colombia, Uruguay: thousands, millions, pesos, money.
    // Thousands as pesos: the amount is read by `numbers` ("veinte
    // lucas" is 20000); "mil" here would be read as another amount.
    ("luca", "pesos", true),
    ("lucas", "pesos", true),
    ("palo", "millones de pesos", true),
    ("palos", "millones de pesos", true),
    ("mango", "pesos", true),
    ("mangos", "pesos", true),
    ("guita", "dinero", false),
    ("billullo", "dinero", false),
    // Indonesia: amounts in Hokkien, juta and ribu as said, money, vote
    // buying, the apps.
    ("gopek", "Rp 500", false),
    ("seceng", "Rp 1 ribu", false),
    ("noceng", "Rp 2 ribu", false),
    ("goceng", "Rp 5 ribu", false),
    ("ceban", "Rp 10 ribu", false),
    ("gocap", "Rp 50 ribu", false),
    ("goban", "Rp 50 ribu", false),
    // "Cepek" is a hundred: a tip of a hundred rupiah once, a hundred
    // thousand in what is paid or given for a vote ("pulsa cepek"), as
    // "gocap" is fifty thousand.
    ("cepek", "Rp 100 ribu", false),
    ("cepekceng", "Rp 100 ribu", false),
    ("cepek ceng", "Rp 100 ribu", false),
    ("jeti", "juta", false),
    ("sejeti", "satu juta", false),
    ("rebu", "ribu", false),
    ("duit", "uang", false),
    ("fulus", "uang", false),
    ("cuan", "untung", false),
    ("serangan fajar", "politik uang", false),
    ("amplop", "uang", false),
    ("medsos", "media sosial", false),
    // The armed forces and the police by their everyday names: checks
    // name them by their acronyms.
    ("tentara", "TNI", false),
    ("polisi", "Polri", false),
    // The count's English name and its Indonesian one, either way round.
    ("quick count", "hitung cepat", false),
    ("hitung cepat", "quick count", false),
    ("indomaret", "minimarket", false),
    ("alfamart", "minimarket", false),
    // Indonesian election talk in acronyms, which checks write now one
    // way, now the other: either is read as the other, but for the
    // acronyms said of nearly every election (TPS, pilkada, pilpres,
    // pileg), whose full names would lend every caption words of many
    // checks ("pemungutan suara", "kepala daerah").
    ("paslon", "pasangan calon", false),
    ("pasangan calon", "paslon", false),
    ("capres", "calon presiden", false),
    ("calon presiden", "capres", false),
    ("cawapres", "calon wakil presiden", false),
    ("calon wakil presiden", "cawapres", false),
    ("cagub", "calon gubernur", false),
    ("calon gubernur", "cagub", false),
    ("cawagub", "calon wakil gubernur", false),
    ("calon wakil gubernur", "cawagub", false),
    ("cabup", "calon bupati", false),
    ("calon bupati", "cabup", false),
    ("cawalkot", "calon wali kota", false),
    ("calon wali kota", "cawalkot", false),
    ("calon walikota", "cawalkot", false),
    ("caleg", "calon legislatif", false),
    ("calon legislatif", "caleg", false),
    ("psu", "pemungutan suara ulang", false),
    ("pemungutan suara ulang", "PSU", false),
    ("dpt", "daftar pemilih tetap", false),
    ("daftar pemilih tetap", "DPT", false),
    ("tempat pemungutan suara", "TPS", false),
    ("pemilihan presiden", "pilpres", false),
    ("pemilihan kepala daerah", "pilkada", false),
    ("pemilihan legislatif", "pileg", false),
    ("komisi pemilihan umum", "KPU", false),
    ("badan pengawas pemilu", "Bawaslu", false),
    ("badan pengawas pemilihan umum", "Bawaslu", false),
    // The ballot paper as people say it, the dead as they are spoken of.
    ("kertas suara", "surat suara", false),
    ("almarhum", "meninggal dunia", false),
    ("almarhumah", "meninggal dunia", false),
    // Electoral bodies, courts and the federal police by their full
    // names, where checks write the acronym (pt, es); the police as
    // "the feds".
    ("tribunal superior eleitoral", "TSE", false),
    ("tribunal regional eleitoral", "TRE", false),
    ("supremo tribunal federal", "STF", false),
    ("policia federal", "PF", false),
    ("os federais", "Polícia Federal", false),
    ("instituto nacional electoral", "INE", false),
    ("camara nacional electoral", "CNE", false),
    ("consejo nacional electoral", "CNE", false),
    ("el registrador", "la Registraduría", false),
    ("la registradora", "la Registraduría", false),
    // Brazil: the e-Título app by what it does, the outskirts, round
    // sums said large, living abroad as "lá fora", the poll workers as
    // "the people at the table", the machine's beep as its little noise,
    // a name on the debtors' list, the elderly.
    ("app do titulo", "e-Título", false),
    ("aplicativo do titulo", "e-Título", false),
    ("titulo digital", "e-Título", false),
    ("na quebrada", "na periferia", false),
    ("da quebrada", "da periferia", false),
    ("duzentao", "R$ 200", false),
    ("trezentao", "R$ 300", false),
    ("quinhentao", "R$ 500", false),
    ("milzao", "R$ 1.000", false),
    ("mora la fora", "mora no exterior", false),
    ("moram la fora", "moram no exterior", false),
    ("pessoal da mesa", "mesários", false),
    ("povo da mesa", "mesários", false),
    ("barulhinho", "bipe", false),
    ("negativado", "nome sujo", false),
    ("negativada", "nome sujo", false),
    ("negativados", "nome sujo", false),
    ("vovo", "idosos", false),
    ("vovos", "idosos", false),
    ("velhinhos", "idosos", false),
    ("terceira idade", "idosos", false),
    // Spanish: the ballot as Spain, Argentina and Colombia name it, a
    // ballot marked as Mexico says it, one's candidate as one's rooster.
    ("papeleta", "boleta", false),
    ("papeletas", "boletas", false),
    ("tarjeton", "boleta", false),
    ("tarjetones", "boletas", false),
    ("tachada", "marcada", false),
    ("tachadas", "marcadas", false),
    ("tachado", "marcado", false),
    ("tachados", "marcados", false),
    ("su gallo", "su candidato", false),
    ("mi gallo", "mi candidato", false),
    ("nuestro gallo", "nuestro candidato", false),
    ("lista nominal", "padrón electoral", false),
    // Mexico: the marker as a "plumón", the corner shop, the interior
    // ministry by its street, the INE as the referee.
    ("plumon", "marcador", false),
    ("plumones", "marcadores", false),
    ("tiendita", "tienda", false),
    ("tienditas", "tiendas", false),
    ("bucareli", "Secretaría de Gobernación", false),
    ("arbitro electoral", "INE", false),
    // Argentina votes blank with an empty envelope, and names its child
    // benefit by its acronym, and checks now one way, now the other.
    ("sobre vacio", "voto en blanco", false),
    ("auh", "Asignación Universal por Hijo", false),
    ("asignacion universal por hijo", "AUH", false),
    // A power cut as people say it, where checks write "queda de
    // energia", "corte de luz", "listrik padam".
    ("apagao", "queda de energia", false),
    ("faltou luz", "queda de energia", false),
    ("acabou a luz", "queda de energia", false),
    ("apagon", "corte de luz", false),
    ("se fue la luz", "corte de luz", false),
    ("se corto la luz", "corte de luz", false),
    ("mati lampu", "listrik padam", false),
    ("mati listrik", "listrik padam", false),
    // Arrests and arms as told: "sair algemado" is being arrested, Mexico
    // calls the rifle a goat's horn.
    ("algemado", "preso", false),
    ("algemada", "presa", false),
    ("algemados", "presos", false),
    ("cuerno de chivo", "arma", false),
    ("cuernos de chivo", "armas", false),
];
