//! The fixed words of a published report in each report language:
//! headings, each figure's name and basis, definitions, the names of
//! outcomes, actions and columns. Written for this project.

use super::locale::Locale;

/// The fixed words of one language.
pub struct Words {
    pub title: &'static str,
    pub period: &'static str,
    pub markets: &'static str,
    pub all_markets: &'static str,
    pub generated: &'static str,
    pub key_figures: &'static str,
    /// Columns of the key figures: figure, this period, previous period,
    /// change, basis.
    pub figure_columns: [&'static str; 5],
    pub new: &'static str,
    pub per_month_chart: &'static str,
    pub outcomes_chart: &'static str,
    pub topics_heading: &'static str,
    pub topic_columns: [&'static str; 5],
    pub groups_heading: &'static str,
    pub top_claims: &'static str,
    /// "rated", before a verdict.
    pub rated: &'static str,
    /// "{n} confirmed matches in {m} videos", with `{n}` and `{m}`.
    pub top_claim_counts: &'static str,
    pub definitions: &'static str,
    pub method: &'static str,
    /// Outcome names: confirmed, rejected, pending.
    pub outcomes: [&'static str; 3],
    /// Column names of the per-group table (see `render::COUNT_COLUMNS`).
    pub columns: [&'static str; 11],
    /// Definitions; `{review}` and `{auto}` are the thresholds.
    pub defined: [(&'static str, &'static str); 5],
    /// Grouping names, in the order of `GroupBy::ALL`.
    pub groups: [&'static str; 14],
    /// Actions: none, removed, labelled, limited.
    pub actions: [&'static str; 4],
    /// Levels: review, auto.
    pub levels: [&'static str; 2],
}

/// Returns the words of `locale`.
pub fn words(locale: Locale) -> &'static Words {
    &WORDS[locale.index()]
}

/// Returns a figure's name and basis in `locale`.
pub fn figure(key: &str, locale: Locale) -> (&'static str, &'static str) {
    FIGURES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(("", ""), |(_, texts)| texts[locale.index()])
}

/// A verdict's name in `locale`, in the order of `Verdict::ALL`.
pub fn verdict(verdict: crate::vocab::Verdict, locale: Locale) -> &'static str {
    const NAMES: [[&str; 10]; 4] = [
        [
            "false",
            "mostly false",
            "misleading",
            "missing context",
            "unproven",
            "satire",
            "mixed",
            "mostly true",
            "true",
            "other",
        ],
        [
            "falso",
            "em grande parte falso",
            "enganoso",
            "sem contexto",
            "não comprovado",
            "sátira",
            "parcialmente verdadeiro",
            "em grande parte verdadeiro",
            "verdadeiro",
            "outro",
        ],
        [
            "falso",
            "mayormente falso",
            "engañoso",
            "sin contexto",
            "no comprobado",
            "sátira",
            "parcialmente verdadero",
            "mayormente verdadero",
            "verdadero",
            "otro",
        ],
        [
            "salah",
            "sebagian besar salah",
            "menyesatkan",
            "tanpa konteks",
            "tidak terbukti",
            "satire",
            "sebagian benar",
            "sebagian besar benar",
            "benar",
            "lainnya",
        ],
    ];
    let at = crate::vocab::Verdict::ALL
        .iter()
        .position(|v| *v == verdict)
        .unwrap_or(9);
    NAMES[locale.index()][at]
}

/// Each figure's name and basis: English, Portuguese, Spanish, Indonesian.
type Texts = [(&'static str, &'static str); 4];

const FIGURES: [(&str, Texts); 21] = [
    (
        "videos_scanned",
        [
            (
                "Videos scanned",
                "Every video scored in the period and markets, matched or not (test calls excluded)",
            ),
            (
                "Vídeos analisados",
                "Todos os vídeos avaliados no período e nos mercados, com ou sem correspondência (chamadas de teste excluídas)",
            ),
            (
                "Videos analizados",
                "Todos los videos evaluados en el período y los mercados, con o sin coincidencia (llamadas de prueba excluidas)",
            ),
            (
                "Video yang dipindai",
                "Semua video yang dinilai dalam periode dan pasar ini, cocok atau tidak (panggilan uji tidak dihitung)",
            ),
        ],
    ),
    (
        "videos_matched",
        [
            (
                "Videos with a logged match",
                "At least one match at or above the review threshold; share of videos scanned",
            ),
            (
                "Vídeos com correspondência registrada",
                "Ao menos uma correspondência no limiar de revisão ou acima; parcela dos vídeos analisados",
            ),
            (
                "Videos con coincidencia registrada",
                "Al menos una coincidencia en el umbral de revisión o por encima; proporción de los videos analizados",
            ),
            (
                "Video dengan kecocokan tercatat",
                "Setidaknya satu kecocokan pada atau di atas ambang tinjauan; bagian dari video yang dipindai",
            ),
        ],
    ),
    (
        "videos_confirmed",
        [
            (
                "Videos confirmed to repeat a checked claim",
                "Repetitions confirmed by reviewers; refutations excluded",
            ),
            (
                "Vídeos confirmados repetindo alegação checada",
                "Repetições confirmadas por revisores; refutações excluídas",
            ),
            (
                "Videos confirmados que repiten una afirmación verificada",
                "Repeticiones confirmadas por revisores; refutaciones excluidas",
            ),
            (
                "Video terkonfirmasi mengulang klaim terperiksa",
                "Pengulangan yang dikonfirmasi peninjau; bantahan tidak dihitung",
            ),
        ],
    ),
    (
        "claims_confirmed",
        [
            (
                "Checked claims repeated",
                "Distinct claims with a confirmed repetition",
            ),
            (
                "Alegações checadas repetidas",
                "Alegações distintas com repetição confirmada",
            ),
            (
                "Afirmaciones verificadas repetidas",
                "Afirmaciones distintas con repetición confirmada",
            ),
            (
                "Klaim terperiksa yang diulang",
                "Klaim berbeda dengan pengulangan terkonfirmasi",
            ),
        ],
    ),
    (
        "matches_logged",
        [
            (
                "Matches logged",
                "One per video and claim, refutations excluded",
            ),
            (
                "Correspondências registradas",
                "Uma por vídeo e alegação, refutações excluídas",
            ),
            (
                "Coincidencias registradas",
                "Una por video y afirmación, refutaciones excluidas",
            ),
            (
                "Kecocokan tercatat",
                "Satu per video dan klaim, bantahan tidak dihitung",
            ),
        ],
    ),
    (
        "matches_confirmed",
        [
            (
                "Confirmed by reviewers",
                "The latest review confirmed the match",
            ),
            (
                "Confirmadas por revisores",
                "A revisão mais recente confirmou a correspondência",
            ),
            (
                "Confirmadas por revisores",
                "La revisión más reciente confirmó la coincidencia",
            ),
            (
                "Dikonfirmasi peninjau",
                "Tinjauan terakhir mengonfirmasi kecocokan",
            ),
        ],
    ),
    (
        "matches_rejected",
        [
            (
                "Rejected as false matches",
                "The latest review rejected the match",
            ),
            (
                "Rejeitadas como falsas correspondências",
                "A revisão mais recente rejeitou a correspondência",
            ),
            (
                "Rechazadas como falsas coincidencias",
                "La revisión más reciente rechazó la coincidencia",
            ),
            (
                "Ditolak sebagai kecocokan keliru",
                "Tinjauan terakhir menolak kecocokan",
            ),
        ],
    ),
    (
        "matches_pending",
        [
            (
                "Awaiting review",
                "Not reviewed when the report was generated",
            ),
            (
                "Aguardando revisão",
                "Sem revisão quando o relatório foi gerado",
            ),
            (
                "Pendientes de revisión",
                "Sin revisión cuando se generó el informe",
            ),
            ("Menunggu tinjauan", "Belum ditinjau saat laporan dibuat"),
        ],
    ),
    (
        "precision_reviewed",
        [
            (
                "Share confirmed among reviewed",
                "Confirmed ÷ (confirmed + rejected): precision as reviewers saw it",
            ),
            (
                "Parcela confirmada entre as revisadas",
                "Confirmadas ÷ (confirmadas + rejeitadas): precisão segundo os revisores",
            ),
            (
                "Proporción confirmada entre las revisadas",
                "Confirmadas ÷ (confirmadas + rechazadas): precisión según los revisores",
            ),
            (
                "Bagian terkonfirmasi dari yang ditinjau",
                "Terkonfirmasi ÷ (terkonfirmasi + ditolak): presisi menurut peninjau",
            ),
        ],
    ),
    (
        "auto_unreviewed",
        [
            (
                "Automatic-level matches not reviewed",
                "At the auto threshold and seen by no reviewer: any action on them was the platform's automation",
            ),
            (
                "Correspondências de nível automático não revisadas",
                "No limiar automático e sem revisão humana: qualquer ação sobre elas foi da automação da plataforma",
            ),
            (
                "Coincidencias de nivel automático no revisadas",
                "En el umbral automático y sin revisión humana: cualquier acción sobre ellas fue de la automatización de la plataforma",
            ),
            (
                "Kecocokan tingkat otomatis yang tidak ditinjau",
                "Pada ambang otomatis dan tidak ditinjau siapa pun: tindakan apa pun dilakukan otomatisasi platform",
            ),
        ],
    ),
    (
        "videos_actioned",
        [
            (
                "Videos actioned",
                "Distinct videos removed, labelled or limited after a confirmed match",
            ),
            (
                "Vídeos com ação",
                "Vídeos distintos removidos, rotulados ou com alcance limitado após correspondência confirmada",
            ),
            (
                "Videos con acción",
                "Videos distintos eliminados, etiquetados o con distribución limitada tras una coincidencia confirmada",
            ),
            (
                "Video yang ditindak",
                "Video berbeda yang dihapus, diberi label, atau dibatasi setelah kecocokan terkonfirmasi",
            ),
        ],
    ),
    (
        "matches_removed",
        [
            ("Removed", "Confirmed matches whose video was removed"),
            (
                "Removidos",
                "Correspondências confirmadas cujo vídeo foi removido",
            ),
            (
                "Eliminados",
                "Coincidencias confirmadas cuyo video fue eliminado",
            ),
            ("Dihapus", "Kecocokan terkonfirmasi yang videonya dihapus"),
        ],
    ),
    (
        "matches_labelled",
        [
            (
                "Labelled with the fact-check",
                "Confirmed matches whose video was labelled",
            ),
            (
                "Rotulados com a checagem",
                "Correspondências confirmadas cujo vídeo recebeu rótulo",
            ),
            (
                "Etiquetados con la verificación",
                "Coincidencias confirmadas cuyo video fue etiquetado",
            ),
            (
                "Diberi label cek fakta",
                "Kecocokan terkonfirmasi yang videonya diberi label",
            ),
        ],
    ),
    (
        "matches_limited",
        [
            (
                "Distribution limited",
                "Confirmed matches whose video's reach was limited",
            ),
            (
                "Alcance limitado",
                "Correspondências confirmadas cujo vídeo teve alcance limitado",
            ),
            (
                "Distribución limitada",
                "Coincidencias confirmadas cuyo video tuvo distribución limitada",
            ),
            (
                "Distribusi dibatasi",
                "Kecocokan terkonfirmasi yang jangkauan videonya dibatasi",
            ),
        ],
    ),
    (
        "review_time_median",
        [
            (
                "Time to first review, median",
                "From first logged to first review, over reviewed matches",
            ),
            (
                "Tempo até a primeira revisão, mediana",
                "Do primeiro registro à primeira revisão, entre as correspondências revisadas",
            ),
            (
                "Tiempo hasta la primera revisión, mediana",
                "Desde el primer registro hasta la primera revisión, entre las coincidencias revisadas",
            ),
            (
                "Waktu hingga tinjauan pertama, median",
                "Dari pencatatan pertama hingga tinjauan pertama, atas kecocokan yang ditinjau",
            ),
        ],
    ),
    (
        "review_time_p90",
        [
            (
                "Time to first review, 90th percentile",
                "As above; 9 in 10 reviewed matches were reviewed within this time",
            ),
            (
                "Tempo até a primeira revisão, percentil 90",
                "Como acima; 9 em cada 10 correspondências revisadas foram revisadas nesse prazo",
            ),
            (
                "Tiempo hasta la primera revisión, percentil 90",
                "Como arriba; 9 de cada 10 coincidencias revisadas se revisaron en ese plazo",
            ),
            (
                "Waktu hingga tinjauan pertama, persentil 90",
                "Seperti di atas; 9 dari 10 kecocokan ditinjau dalam waktu ini",
            ),
        ],
    ),
    (
        "action_time_median",
        [
            (
                "Time to action, median",
                "From first logged to the review that recorded the action in force, over actioned matches",
            ),
            (
                "Tempo até a ação, mediana",
                "Do primeiro registro à revisão que registrou a ação vigente, entre as correspondências com ação",
            ),
            (
                "Tiempo hasta la acción, mediana",
                "Desde el primer registro hasta la revisión que registró la acción vigente, entre las coincidencias con acción",
            ),
            (
                "Waktu hingga tindakan, median",
                "Dari pencatatan pertama hingga tinjauan yang mencatat tindakan yang berlaku, atas kecocokan yang ditindak",
            ),
        ],
    ),
    (
        "action_time_p90",
        [
            (
                "Time to action, 90th percentile",
                "As above; 9 in 10 actioned matches were actioned within this time",
            ),
            (
                "Tempo até a ação, percentil 90",
                "Como acima; 9 em cada 10 correspondências com ação a tiveram nesse prazo",
            ),
            (
                "Tiempo hasta la acción, percentil 90",
                "Como arriba; 9 de cada 10 coincidencias con acción la tuvieron en ese plazo",
            ),
            (
                "Waktu hingga tindakan, persentil 90",
                "Seperti di atas; 9 dari 10 kecocokan ditindak dalam waktu ini",
            ),
        ],
    ),
    (
        "views_when_matched",
        [
            (
                "Views when matched",
                "Views of the confirmed videos when each was first matched, each video once",
            ),
            (
                "Visualizações ao serem identificados",
                "Visualizações dos vídeos confirmados quando cada um foi identificado pela primeira vez, cada vídeo uma vez",
            ),
            (
                "Visualizaciones al ser identificados",
                "Visualizaciones de los videos confirmados cuando cada uno fue identificado por primera vez, cada video una vez",
            ),
            (
                "Tayangan saat terdeteksi",
                "Tayangan video terkonfirmasi saat pertama kali cocok, tiap video sekali",
            ),
        ],
    ),
    (
        "views_at_action",
        [
            (
                "Views at action",
                "Views of the actioned videos when the action was recorded, each video once",
            ),
            (
                "Visualizações no momento da ação",
                "Visualizações dos vídeos com ação quando a ação foi registrada, cada vídeo uma vez",
            ),
            (
                "Visualizaciones al momento de la acción",
                "Visualizaciones de los videos con acción cuando se registró la acción, cada video una vez",
            ),
            (
                "Tayangan saat ditindak",
                "Tayangan video yang ditindak saat tindakan dicatat, tiap video sekali",
            ),
        ],
    ),
    (
        "refutations",
        [
            (
                "Refutations (counter-speech)",
                "Matches whose video refutes the claim; counted apart, never as repetitions",
            ),
            (
                "Refutações (contradiscurso)",
                "Correspondências em que o vídeo desmente a alegação; contadas à parte, nunca como repetições",
            ),
            (
                "Refutaciones (contradiscurso)",
                "Coincidencias en que el video desmiente la afirmación; contadas aparte, nunca como repeticiones",
            ),
            (
                "Bantahan (kontra-narasi)",
                "Kecocokan yang videonya membantah klaim; dihitung terpisah, tidak pernah sebagai pengulangan",
            ),
        ],
    ),
];

const WORDS: [Words; 4] = [
    Words {
        title: "Election integrity: videos repeating fact-checked claims",
        period: "Period",
        markets: "Markets",
        all_markets: "all markets",
        generated: "Generated",
        key_figures: "Key figures",
        figure_columns: [
            "Figure",
            "This period",
            "Previous period",
            "Change",
            "Basis",
        ],
        new: "new",
        per_month_chart: "Matches logged per month, by market",
        outcomes_chart: "Review outcomes per market",
        topics_heading: "By topic",
        topic_columns: [
            "Topic",
            "Videos matched",
            "Videos confirmed",
            "Matches confirmed",
            "Refutations",
        ],
        groups_heading: "By group",
        top_claims: "Claims repeated most (confirmed matches)",
        rated: "rated",
        top_claim_counts: "{n} confirmed matches in {m} videos",
        definitions: "Definitions",
        method: "Method",
        outcomes: ["confirmed", "rejected", "pending"],
        columns: [
            "videos",
            "claims",
            "views",
            "confirmed",
            "rejected",
            "pending",
            "removed",
            "labelled",
            "limited",
            "refutations",
            "scanned",
        ],
        defined: [
            (
                "Match",
                "A video whose captions, speech or description say what a fact-checked claim says, found with a confidence at or above the review threshold ({review}); counted once per video and claim, however often it was seen.",
            ),
            (
                "Automatic level",
                "A match at or above the auto threshold ({auto}): sure enough for a platform to act on without review. The service does not know whether a platform did; the figures say how many were reviewed by people.",
            ),
            (
                "Confirmed, rejected, pending",
                "A match's latest review: a reviewer confirmed that the video repeats the claim, rejected it as a false match, or has not reviewed it yet. Published counts of repetitions use confirmed matches only.",
            ),
            (
                "Refutation",
                "A match whose video says the claim is false (a debunk, counter-speech). Refutations are counted apart, never as videos that repeated a falsehood.",
            ),
            (
                "Views",
                "The view count the platform sent with the video when it was matched, or with the review that recorded the action.",
            ),
        ],
        groups: [
            "Market",
            "Partner",
            "Verdict",
            "Language",
            "Source",
            "Claim",
            "Level",
            "Month",
            "Election",
            "Review outcome",
            "Action",
            "Day",
            "Week",
            "Topic",
        ],
        actions: ["none", "removed", "labelled", "limited"],
        levels: ["review", "automatic"],
    },
    Words {
        title: "Integridade eleitoral: vídeos que repetem alegações checadas",
        period: "Período",
        markets: "Mercados",
        all_markets: "todos os mercados",
        generated: "Gerado em",
        key_figures: "Números principais",
        figure_columns: [
            "Indicador",
            "Este período",
            "Período anterior",
            "Variação",
            "Base",
        ],
        new: "novo",
        per_month_chart: "Correspondências registradas por mês, por mercado",
        outcomes_chart: "Resultado das revisões por mercado",
        topics_heading: "Por tema",
        topic_columns: [
            "Tema",
            "Vídeos com correspondência",
            "Vídeos confirmados",
            "Correspondências confirmadas",
            "Refutações",
        ],
        groups_heading: "Por grupo",
        top_claims: "Alegações mais repetidas (correspondências confirmadas)",
        rated: "classificada como",
        top_claim_counts: "{n} correspondências confirmadas em {m} vídeos",
        definitions: "Definições",
        method: "Método",
        outcomes: ["confirmada", "rejeitada", "pendente"],
        columns: [
            "vídeos",
            "alegações",
            "visualizações",
            "confirmadas",
            "rejeitadas",
            "pendentes",
            "removidos",
            "rotulados",
            "limitados",
            "refutações",
            "analisados",
        ],
        defined: [
            (
                "Correspondência",
                "Um vídeo cujas legendas, fala ou descrição dizem o que diz uma alegação checada, identificado com confiança igual ou superior ao limiar de revisão ({review}); contada uma vez por vídeo e alegação, por mais vezes que tenha sido vista.",
            ),
            (
                "Nível automático",
                "Uma correspondência igual ou superior ao limiar automático ({auto}): segura o bastante para a plataforma agir sem revisão. O serviço não sabe se a plataforma agiu; os números dizem quantas foram revisadas por pessoas.",
            ),
            (
                "Confirmada, rejeitada, pendente",
                "A revisão mais recente de uma correspondência: um revisor confirmou que o vídeo repete a alegação, rejeitou-a como falsa correspondência, ou ainda não a revisou. As contagens publicadas de repetições usam apenas correspondências confirmadas.",
            ),
            (
                "Refutação",
                "Uma correspondência cujo vídeo diz que a alegação é falsa (um desmentido, contradiscurso). Refutações são contadas à parte, nunca como vídeos que repetiram uma falsidade.",
            ),
            (
                "Visualizações",
                "A contagem de visualizações que a plataforma enviou com o vídeo quando ele foi identificado, ou com a revisão que registrou a ação.",
            ),
        ],
        groups: [
            "Mercado",
            "Parceiro",
            "Classificação",
            "Idioma",
            "Fonte",
            "Alegação",
            "Nível",
            "Mês",
            "Eleição",
            "Resultado da revisão",
            "Ação",
            "Dia",
            "Semana",
            "Tema",
        ],
        actions: ["nenhuma", "removido", "rotulado", "limitado"],
        levels: ["revisão", "automático"],
    },
    Words {
        title: "Integridad electoral: videos que repiten afirmaciones verificadas",
        period: "Período",
        markets: "Mercados",
        all_markets: "todos los mercados",
        generated: "Generado el",
        key_figures: "Cifras principales",
        figure_columns: [
            "Indicador",
            "Este período",
            "Período anterior",
            "Variación",
            "Base",
        ],
        new: "nuevo",
        per_month_chart: "Coincidencias registradas por mes, por mercado",
        outcomes_chart: "Resultado de las revisiones por mercado",
        topics_heading: "Por tema",
        topic_columns: [
            "Tema",
            "Videos con coincidencia",
            "Videos confirmados",
            "Coincidencias confirmadas",
            "Refutaciones",
        ],
        groups_heading: "Por grupo",
        top_claims: "Afirmaciones más repetidas (coincidencias confirmadas)",
        rated: "calificada como",
        top_claim_counts: "{n} coincidencias confirmadas en {m} videos",
        definitions: "Definiciones",
        method: "Método",
        outcomes: ["confirmada", "rechazada", "pendiente"],
        columns: [
            "videos",
            "afirmaciones",
            "visualizaciones",
            "confirmadas",
            "rechazadas",
            "pendientes",
            "eliminados",
            "etiquetados",
            "limitados",
            "refutaciones",
            "analizados",
        ],
        defined: [
            (
                "Coincidencia",
                "Un video cuyos subtítulos, habla o descripción dicen lo que dice una afirmación verificada, identificado con una confianza igual o superior al umbral de revisión ({review}); contada una vez por video y afirmación, por muchas veces que se haya visto.",
            ),
            (
                "Nivel automático",
                "Una coincidencia igual o superior al umbral automático ({auto}): lo bastante segura para que la plataforma actúe sin revisión. El servicio no sabe si la plataforma actuó; las cifras dicen cuántas revisaron personas.",
            ),
            (
                "Confirmada, rechazada, pendiente",
                "La revisión más reciente de una coincidencia: un revisor confirmó que el video repite la afirmación, la rechazó como falsa coincidencia, o aún no la revisó. Los recuentos publicados de repeticiones usan solo coincidencias confirmadas.",
            ),
            (
                "Refutación",
                "Una coincidencia cuyo video dice que la afirmación es falsa (un desmentido, contradiscurso). Las refutaciones se cuentan aparte, nunca como videos que repitieron una falsedad.",
            ),
            (
                "Visualizaciones",
                "El número de visualizaciones que la plataforma envió con el video cuando fue identificado, o con la revisión que registró la acción.",
            ),
        ],
        groups: [
            "Mercado",
            "Aliado",
            "Calificación",
            "Idioma",
            "Fuente",
            "Afirmación",
            "Nivel",
            "Mes",
            "Elección",
            "Resultado de la revisión",
            "Acción",
            "Día",
            "Semana",
            "Tema",
        ],
        actions: ["ninguna", "eliminado", "etiquetado", "limitado"],
        levels: ["revisión", "automático"],
    },
    Words {
        title: "Integritas pemilu: video yang mengulang klaim terperiksa",
        period: "Periode",
        markets: "Pasar",
        all_markets: "semua pasar",
        generated: "Dibuat",
        key_figures: "Angka utama",
        figure_columns: [
            "Indikator",
            "Periode ini",
            "Periode sebelumnya",
            "Perubahan",
            "Dasar",
        ],
        new: "baru",
        per_month_chart: "Kecocokan tercatat per bulan, menurut pasar",
        outcomes_chart: "Hasil tinjauan per pasar",
        topics_heading: "Menurut topik",
        topic_columns: [
            "Topik",
            "Video cocok",
            "Video terkonfirmasi",
            "Kecocokan terkonfirmasi",
            "Bantahan",
        ],
        groups_heading: "Menurut kelompok",
        top_claims: "Klaim yang paling sering diulang (kecocokan terkonfirmasi)",
        rated: "dinilai",
        top_claim_counts: "{n} kecocokan terkonfirmasi di {m} video",
        definitions: "Definisi",
        method: "Metode",
        outcomes: ["terkonfirmasi", "ditolak", "menunggu"],
        columns: [
            "video",
            "klaim",
            "tayangan",
            "terkonfirmasi",
            "ditolak",
            "menunggu",
            "dihapus",
            "diberi label",
            "dibatasi",
            "bantahan",
            "dipindai",
        ],
        defined: [
            (
                "Kecocokan",
                "Video yang teks, ucapan, atau deskripsinya menyatakan isi sebuah klaim terperiksa, ditemukan dengan keyakinan pada atau di atas ambang tinjauan ({review}); dihitung sekali per video dan klaim, berapa kali pun terlihat.",
            ),
            (
                "Tingkat otomatis",
                "Kecocokan pada atau di atas ambang otomatis ({auto}): cukup pasti bagi platform untuk bertindak tanpa tinjauan. Layanan tidak mengetahui apakah platform bertindak; angka menunjukkan berapa yang ditinjau manusia.",
            ),
            (
                "Terkonfirmasi, ditolak, menunggu",
                "Tinjauan terakhir sebuah kecocokan: peninjau mengonfirmasi bahwa video mengulang klaim, menolaknya sebagai kecocokan keliru, atau belum meninjaunya. Jumlah pengulangan yang diterbitkan hanya memakai kecocokan terkonfirmasi.",
            ),
            (
                "Bantahan",
                "Kecocokan yang videonya menyatakan klaim itu salah (pembongkaran hoaks, kontra-narasi). Bantahan dihitung terpisah, tidak pernah sebagai video yang mengulang kebohongan.",
            ),
            (
                "Tayangan",
                "Jumlah tayangan yang dikirim platform bersama video saat cocok, atau bersama tinjauan yang mencatat tindakan.",
            ),
        ],
        groups: [
            "Pasar",
            "Mitra",
            "Penilaian",
            "Bahasa",
            "Sumber",
            "Klaim",
            "Tingkat",
            "Bulan",
            "Pemilu",
            "Hasil tinjauan",
            "Tindakan",
            "Hari",
            "Minggu",
            "Topik",
        ],
        actions: ["tidak ada", "dihapus", "diberi label", "dibatasi"],
        levels: ["tinjauan", "otomatis"],
    },
];
