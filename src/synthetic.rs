//! Deterministic synthetic claims, posts and transcripts for scaling runs
//! (`claimsignal bench --synthetic`) and the criterion benches.
//!
//! Claims are election falsehoods assembled from per-language phrase lists
//! (subject, act, number, object, place, moment) in English, Portuguese,
//! Spanish, Indonesian and French, so their vocabulary has the skew of real
//! claims: a few words everywhere, most words rare. The same seed always
//! gives the same corpus.

use crate::captions::Segment;

/// The phrase lists of one language.
struct Phrases {
    code: &'static str,
    subjects: &'static [&'static str],
    acts: &'static [&'static str],
    objects: &'static [&'static str],
    place_word: &'static str,
    moments: &'static [&'static str],
    /// What people say around a claim in a video.
    talk: &'static [&'static str],
}

const LANGUAGES: [Phrases; 5] = [
    Phrases {
        code: "en",
        subjects: &[
            "The electoral commission",
            "Candidate {name}",
            "Poll workers in {place}",
            "The {party} party",
            "Foreign hackers",
            "The governor of {place}",
            "Election officials",
            "Volunteers for {name}",
            "The interior ministry",
            "Observers from {place}",
            "The supreme court",
            "Senator {name}",
        ],
        acts: &[
            "secretly deleted",
            "counted twice",
            "threw away",
            "switched",
            "printed",
            "bought",
            "hid",
            "invalidated",
            "moved",
            "altered",
            "smuggled",
            "burned",
        ],
        objects: &[
            "ballots",
            "votes",
            "voter registrations",
            "voting machines",
            "postal ballots",
            "tally sheets",
            "ballot boxes",
            "names from the voter rolls",
            "ID cards",
            "polling station reports",
        ],
        place_word: "in",
        moments: &[
            "before the runoff",
            "on election night",
            "during the count",
            "last week",
            "in the first round",
            "after the polls closed",
        ],
        talk: &[
            "Hey everyone, welcome back to the channel.",
            "So today I want to talk about what happened this week.",
            "Make sure you like and subscribe.",
            "I have been reading a lot of your comments about this.",
            "Let me know what you think down below.",
            "This is something nobody on the news is telling you.",
            "My cousin sent me this video yesterday.",
            "You have to see this with your own eyes.",
            "I am not saying it is true, I am just asking questions.",
            "Share this before they take it down.",
            "Anyway, let us get into it.",
            "Thanks for watching and see you tomorrow.",
        ],
    },
    Phrases {
        code: "pt",
        subjects: &[
            "O tribunal eleitoral",
            "O candidato {name}",
            "Mesários de {place}",
            "O partido {party}",
            "Hackers estrangeiros",
            "O governador de {place}",
            "Os fiscais de urna",
            "Apoiadores de {name}",
            "O ministério da justiça",
            "Observadores de {place}",
            "O supremo tribunal",
            "O senador {name}",
        ],
        acts: &[
            "apagou em segredo",
            "contou duas vezes",
            "jogou fora",
            "trocou",
            "imprimiu",
            "comprou",
            "escondeu",
            "anulou",
            "desviou",
            "alterou",
            "contrabandeou",
            "queimou",
        ],
        objects: &[
            "votos",
            "cédulas",
            "urnas eletrônicas",
            "títulos de eleitor",
            "boletins de urna",
            "seções eleitorais",
            "registros de eleitores",
            "comprovantes de votação",
        ],
        place_word: "em",
        moments: &[
            "antes do segundo turno",
            "na noite da eleição",
            "durante a apuração",
            "na semana passada",
            "no primeiro turno",
            "depois do fechamento das urnas",
        ],
        talk: &[
            "Fala pessoal, bem-vindos de volta ao canal.",
            "Hoje eu quero falar sobre o que aconteceu essa semana.",
            "Não esquece de curtir e se inscrever.",
            "Eu li muitos comentários de vocês sobre isso.",
            "Deixa aqui embaixo o que você acha.",
            "Isso a televisão não mostra para ninguém.",
            "Meu primo me mandou esse vídeo ontem.",
            "Você precisa ver isso com os próprios olhos.",
            "Não estou dizendo que é verdade, só estou perguntando.",
            "Compartilha antes que apaguem.",
            "Bom, vamos ao que interessa.",
            "Obrigado por assistir e até amanhã.",
        ],
    },
    Phrases {
        code: "es",
        subjects: &[
            "El consejo electoral",
            "El candidato {name}",
            "Funcionarios de casilla en {place}",
            "El partido {party}",
            "Hackers extranjeros",
            "El gobernador de {place}",
            "Los representantes de partido",
            "Simpatizantes de {name}",
            "El ministerio del interior",
            "Observadores de {place}",
            "La corte suprema",
            "El senador {name}",
        ],
        acts: &[
            "borró en secreto",
            "contó dos veces",
            "tiró a la basura",
            "cambió",
            "imprimió",
            "compró",
            "escondió",
            "anuló",
            "desvió",
            "alteró",
            "contrabandeó",
            "quemó",
        ],
        objects: &[
            "votos",
            "boletas",
            "actas de escrutinio",
            "credenciales de elector",
            "urnas",
            "casillas",
            "padrones electorales",
            "votos por correo",
        ],
        place_word: "en",
        moments: &[
            "antes de la segunda vuelta",
            "la noche de la elección",
            "durante el conteo",
            "la semana pasada",
            "en la primera vuelta",
            "después del cierre de las casillas",
        ],
        talk: &[
            "Hola a todos, bienvenidos de nuevo al canal.",
            "Hoy quiero hablar de lo que pasó esta semana.",
            "No olviden darle like y suscribirse.",
            "He leído muchos de sus comentarios sobre esto.",
            "Díganme abajo qué opinan.",
            "Esto no lo dicen en las noticias.",
            "Mi primo me mandó este video ayer.",
            "Tienen que verlo con sus propios ojos.",
            "No digo que sea verdad, solo hago preguntas.",
            "Compártanlo antes de que lo borren.",
            "Bueno, vamos a lo importante.",
            "Gracias por ver y nos vemos mañana.",
        ],
    },
    Phrases {
        code: "id",
        subjects: &[
            "Komisi Pemilihan Umum",
            "Calon {name}",
            "Petugas TPS di {place}",
            "Partai {party}",
            "Peretas asing",
            "Gubernur {place}",
            "Panitia pemilihan",
            "Relawan {name}",
            "Kementerian dalam negeri",
            "Pengamat dari {place}",
            "Mahkamah Konstitusi",
            "Anggota dewan {name}",
        ],
        acts: &[
            "diam-diam menghapus",
            "menghitung dua kali",
            "membuang",
            "menukar",
            "mencetak",
            "membeli",
            "menyembunyikan",
            "membatalkan",
            "memindahkan",
            "mengubah",
            "menyelundupkan",
            "membakar",
        ],
        objects: &[
            "suara",
            "surat suara",
            "kotak suara",
            "KTP elektronik",
            "formulir C1",
            "daftar pemilih tetap",
            "surat suara pos",
            "data pemilih",
        ],
        place_word: "di",
        moments: &[
            "sebelum putaran kedua",
            "pada malam pemilihan",
            "saat penghitungan suara",
            "minggu lalu",
            "di putaran pertama",
            "setelah TPS ditutup",
        ],
        talk: &[
            "Halo semuanya, selamat datang kembali di channel ini.",
            "Hari ini saya mau bahas apa yang terjadi minggu ini.",
            "Jangan lupa like dan subscribe.",
            "Saya sudah baca banyak komentar kalian soal ini.",
            "Tulis pendapat kalian di kolom komentar.",
            "Ini yang tidak diberitakan di televisi.",
            "Sepupu saya kirim video ini kemarin.",
            "Kalian harus lihat sendiri.",
            "Saya tidak bilang ini benar, saya cuma bertanya.",
            "Bagikan sebelum dihapus.",
            "Oke, langsung saja.",
            "Terima kasih sudah menonton, sampai jumpa besok.",
        ],
    },
    Phrases {
        code: "fr",
        subjects: &[
            "La commission électorale",
            "Le candidat {name}",
            "Des assesseurs de {place}",
            "Le parti {party}",
            "Des pirates étrangers",
            "Le préfet de {place}",
            "Les délégués de bureau de vote",
            "Des militants de {name}",
            "Le ministère de l'intérieur",
            "Des observateurs de {place}",
            "Le conseil constitutionnel",
            "Le sénateur {name}",
        ],
        acts: &[
            "a supprimé en secret",
            "a compté deux fois",
            "a jeté",
            "a échangé",
            "a imprimé",
            "a acheté",
            "a caché",
            "a annulé",
            "a détourné",
            "a modifié",
            "a fait passer en fraude",
            "a brûlé",
        ],
        objects: &[
            "bulletins",
            "votes",
            "procurations",
            "machines à voter",
            "urnes",
            "listes électorales",
            "procès-verbaux",
            "cartes d'électeur",
        ],
        place_word: "à",
        moments: &[
            "avant le second tour",
            "le soir de l'élection",
            "pendant le dépouillement",
            "la semaine dernière",
            "au premier tour",
            "après la fermeture des bureaux",
        ],
        talk: &[
            "Salut tout le monde, bon retour sur la chaîne.",
            "Aujourd'hui je veux parler de ce qui s'est passé cette semaine.",
            "N'oubliez pas de liker et de vous abonner.",
            "J'ai lu beaucoup de vos commentaires là-dessus.",
            "Dites-moi en commentaire ce que vous en pensez.",
            "Ça, les médias ne vous le disent pas.",
            "Mon cousin m'a envoyé cette vidéo hier.",
            "Il faut le voir de vos propres yeux.",
            "Je ne dis pas que c'est vrai, je pose des questions.",
            "Partagez avant que ce soit supprimé.",
            "Bref, allons-y.",
            "Merci d'avoir regardé et à demain.",
        ],
    },
];

const FIRST_NAMES: [&str; 24] = [
    "Ana", "Bruno", "Carla", "Diego", "Elena", "Fabio", "Gabriela", "Hugo", "Intan", "Joko",
    "Karina", "Luis", "Marta", "Nadia", "Oscar", "Paulo", "Rina", "Sergio", "Tatiana", "Umar",
    "Valeria", "Wayan", "Ximena", "Yusuf",
];
const LAST_NAMES: [&str; 24] = [
    "Almeida",
    "Barbosa",
    "Castillo",
    "Dewi",
    "Estrada",
    "Ferreira",
    "Gutierrez",
    "Hartono",
    "Iglesias",
    "Jimenez",
    "Kusuma",
    "Lopes",
    "Moreau",
    "Nugroho",
    "Ortega",
    "Pereira",
    "Quintero",
    "Rahman",
    "Santos",
    "Tanaka",
    "Utomo",
    "Vargas",
    "Wibowo",
    "Zapata",
];
const PLACES: [&str; 40] = [
    "Recife",
    "Manaus",
    "Salvador",
    "Curitiba",
    "Belém",
    "Goiânia",
    "Fortaleza",
    "Porto Alegre",
    "Monterrey",
    "Guadalajara",
    "Puebla",
    "Tijuana",
    "Mérida",
    "Oaxaca",
    "Bogotá",
    "Medellín",
    "Cali",
    "Rosario",
    "Córdoba",
    "Mendoza",
    "Surabaya",
    "Bandung",
    "Medan",
    "Makassar",
    "Semarang",
    "Palembang",
    "Denpasar",
    "Lyon",
    "Marseille",
    "Toulouse",
    "Lille",
    "Nantes",
    "Dakar",
    "Abidjan",
    "Phoenix",
    "Atlanta",
    "Detroit",
    "Milwaukee",
    "Las Vegas",
    "Philadelphia",
];
const PARTIES: [&str; 10] = [
    "Green",
    "Liberal",
    "Union",
    "Progress",
    "Renewal",
    "Labour",
    "Democratic",
    "Republican",
    "Solidarity",
    "Alliance",
];

/// One synthetic claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticClaim {
    /// A stable id (`syn-<n>`).
    pub id: String,
    /// The claim.
    pub text: String,
    /// Its language code.
    pub language: &'static str,
}

/// Generates claims, posts and transcripts from a seed.
#[derive(Debug, Clone, Copy)]
pub struct Generator {
    seed: u64,
}

impl Generator {
    /// A generator; the same seed always gives the same output.
    pub fn new(seed: u64) -> Self {
        Generator { seed }
    }

    fn rng(&self, stream: u64, n: u64) -> fastrand::Rng {
        // Each item has its own generator, so item n never depends on how
        // many came before it (corpora of any size share their prefix).
        fastrand::Rng::with_seed(
            self.seed
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .wrapping_add(stream.wrapping_mul(0xbf58_476d_1ce4_e5b9))
                .wrapping_add(n),
        )
    }

    /// Claim number `n`.
    pub fn claim(&self, n: u64) -> SyntheticClaim {
        let mut rng = self.rng(1, n);
        let phrases = &LANGUAGES[rng.usize(..LANGUAGES.len())];
        let fill = |template: &str, rng: &mut fastrand::Rng| {
            template
                .replace(
                    "{name}",
                    &format!(
                        "{} {}",
                        FIRST_NAMES[rng.usize(..FIRST_NAMES.len())],
                        LAST_NAMES[rng.usize(..LAST_NAMES.len())]
                    ),
                )
                .replace("{place}", PLACES[rng.usize(..PLACES.len())])
                .replace("{party}", PARTIES[rng.usize(..PARTIES.len())])
        };
        let subject = fill(
            phrases.subjects[rng.usize(..phrases.subjects.len())],
            &mut rng,
        );
        let act = phrases.acts[rng.usize(..phrases.acts.len())];
        // Counts spread over orders of magnitude, as claimed numbers are.
        let count = 10u64.pow(rng.u32(1..6)) * rng.u64(1..10) + rng.u64(0..1000);
        let object = phrases.objects[rng.usize(..phrases.objects.len())];
        let place = PLACES[rng.usize(..PLACES.len())];
        let moment = phrases.moments[rng.usize(..phrases.moments.len())];
        SyntheticClaim {
            id: format!("syn-{n}"),
            text: format!(
                "{subject} {act} {count} {object} {} {place} {moment}.",
                phrases.place_word
            ),
            language: phrases.code,
        }
    }

    /// Claims `range` as JSON Lines (the `load` format).
    pub fn claims_jsonl(&self, range: std::ops::Range<u64>) -> Vec<u8> {
        let mut out = Vec::with_capacity((range.end - range.start) as usize * 140);
        for n in range {
            let claim = self.claim(n);
            let line = serde_json::json!({
                "id": claim.id,
                "text": claim.text,
                "language": claim.language,
                "rating": "False",
            });
            out.extend_from_slice(line.to_string().as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// A tweet-length post: one of the first `claims` claims, reworded a
    /// little (moment dropped, a hashtag added), or, for every fourth post,
    /// talk that repeats no claim.
    pub fn post(&self, n: u64, claims: u64) -> (String, &'static str) {
        let mut rng = self.rng(2, n);
        let claim = self.claim(rng.u64(..claims.max(1)));
        let phrases = LANGUAGES
            .iter()
            .find(|p| p.code == claim.language)
            .unwrap_or(&LANGUAGES[0]);
        if n % 4 == 3 {
            let a = phrases.talk[rng.usize(..phrases.talk.len())];
            let b = phrases.talk[rng.usize(..phrases.talk.len())];
            return (format!("{a} {b}"), claim.language);
        }
        let text = claim.text.trim_end_matches('.');
        let cut = phrases
            .moments
            .iter()
            .find_map(|m| text.strip_suffix(m))
            .unwrap_or(text)
            .trim_end();
        (
            format!("{cut}!! #eleicoes2026 #fraude {}", phrases.talk[0]),
            claim.language,
        )
    }

    /// A 60-second speech transcript of about 150 words as timed segments;
    /// every second one repeats one of the first `claims` claims somewhere
    /// in the middle.
    pub fn transcript(&self, n: u64, claims: u64) -> (Vec<Segment>, &'static str) {
        let mut rng = self.rng(3, n);
        let claim = self.claim(rng.u64(..claims.max(1)));
        let phrases = LANGUAGES
            .iter()
            .find(|p| p.code == claim.language)
            .unwrap_or(&LANGUAGES[0]);
        let mut sentences: Vec<&str> = Vec::new();
        let mut words = 0;
        while words < 150 {
            let sentence = phrases.talk[rng.usize(..phrases.talk.len())];
            words += sentence.split_whitespace().count();
            sentences.push(sentence);
        }
        if n.is_multiple_of(2) {
            let at = rng.usize(1..sentences.len());
            sentences.insert(at, &claim.text);
        }
        let all: Vec<&str> = sentences
            .iter()
            .flat_map(|s| s.split_whitespace())
            .collect();
        let per_word_ms = 60_000 / all.len().max(1) as u64;
        let segments = all
            .chunks(7)
            .enumerate()
            .map(|(i, chunk)| {
                let start_ms = (i * 7) as u64 * per_word_ms;
                Segment {
                    start_ms,
                    end_ms: start_ms + chunk.len() as u64 * per_word_ms,
                    text: chunk.join(" "),
                    speaker: None,
                }
            })
            .collect();
        (segments, claim.language)
    }

    /// The same transcript as an SRT file.
    pub fn transcript_srt(&self, n: u64, claims: u64) -> (String, &'static str) {
        let (segments, language) = self.transcript(n, claims);
        let stamp = |ms: u64| {
            format!(
                "{:02}:{:02}:{:02},{:03}",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000
            )
        };
        let mut srt = String::new();
        for (i, segment) in segments.iter().enumerate() {
            srt.push_str(&format!(
                "{}\n{} --> {}\n{}\n\n",
                i + 1,
                stamp(segment.start_ms),
                stamp(segment.end_ms),
                segment.text
            ));
        }
        (srt, language)
    }
}

#[cfg(test)]
mod tests;
