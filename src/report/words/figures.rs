//! Each key figure's name and basis, and each verdict's name, in the
//! report languages.

use super::super::locale::Locale;

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
