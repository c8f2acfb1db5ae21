//! Centring: every vector e5 gives a sentence in these languages shares a
//! large common part (two unrelated captions sit at cosine 0.8 and more)
//! that drowns the differences that tell a claim from its neighbour, and
//! a claim's language from its meaning.
//!
//! The service removes from each vector the mean over the claims it
//! holds (`src/index/centre.rs`). The sentences below are where that mean
//! starts from while there are few claims: everyday talk in the
//! partners' languages, written for this project, with nothing about
//! elections (what text in these languages looks like to the model). Each
//! language's own mean, against the mean of all, is the direction that
//! language adds to every vector: part of it is taken out too, so that a
//! Spanish caption is not nearer every Spanish claim than the Portuguese
//! claim it retells.

use crate::{DIM, Encoder, Role};

/// The languages of `NEUTRAL`, in order, `PER_LANGUAGE` sentences each.
pub const NEUTRAL_LANGUAGES: [&str; 5] = ["pt", "es", "id", "en", "fr"];
const PER_LANGUAGE: usize = 16;

/// Sentences in pt, es, id, en and fr, 16 each.
pub const NEUTRAL: [&str; 80] = [
    "Hoje o trânsito na marginal está parado desde cedo por causa da chuva.",
    "Essa receita de pão de queijo leva só polvilho, ovo, leite e queijo.",
    "O Flamengo virou o jogo no segundo tempo e a torcida foi à loucura.",
    "Comprei um tênis novo para correr e já fiz cinco quilômetros hoje.",
    "A conta de luz veio mais cara esse mês, alguém mais percebeu?",
    "Meu gato dorme o dia inteiro em cima do teclado do computador.",
    "A prefeitura vai fechar a avenida no domingo para a feira de artesanato.",
    "Dica de viagem: em Gramado o frio chega forte em julho, leve casaco.",
    "Terminei a faculdade depois de seis anos estudando à noite.",
    "O preço do tomate subiu de novo na feira do bairro.",
    "Novo celular com bateria que dura dois dias, vale a pena?",
    "Cientistas descobriram uma nova espécie de sapo na Mata Atlântica.",
    "Minha avó faz o melhor feijão tropeiro de Minas Gerais.",
    "O show da banda foi cancelado por causa do temporal.",
    "A vacina da gripe já está disponível nos postos de saúde da cidade.",
    "Aprendi a tocar violão sozinho vendo vídeos na internet.",
    "Mañana habrá lluvias fuertes en el centro del país, lleven paraguas.",
    "Así se prepara el mole poblano de mi abuela, paso a paso.",
    "El Boca empató en la Bombonera y los hinchas salieron enojados.",
    "Tres ejercicios para fortalecer la espalda sin salir de casa.",
    "Subió otra vez el precio del pasaje del colectivo en la ciudad.",
    "Mi perro le tiene miedo a la aspiradora, miren cómo se esconde.",
    "Inauguraron un parque nuevo con ciclovía en el barrio.",
    "Viajamos a Cartagena y la comida callejera estuvo increíble.",
    "Estoy estudiando para el examen de matemáticas de la universidad.",
    "El café colombiano se exporta a más de cincuenta países.",
    "Probé el teléfono nuevo y la cámara de noche es muy buena.",
    "Encontraron restos de un dinosaurio en la Patagonia.",
    "Mi mamá abrió una tiendita de tamales en la colonia.",
    "El concierto del sábado se llenó en menos de una hora.",
    "Recuerden tomar mucha agua con este calor, cuídense.",
    "Les enseño a cambiar la llanta del carro en cinco minutos.",
    "Jakarta macet parah pagi ini karena banjir di beberapa jalan.",
    "Resep nasi goreng kampung yang gampang banget buat sarapan.",
    "Persib menang dramatis di menit terakhir, bobotoh langsung pesta.",
    "Harga cabai di pasar naik lagi minggu ini.",
    "Kucing saya suka tidur di dalam kardus bekas paket.",
    "Tips hemat liburan ke Bali tanpa harus menginap di hotel mahal.",
    "Anak saya baru belajar naik sepeda di taman kompleks.",
    "Jalan tol baru di Sumatra sudah bisa dilewati mulai bulan depan.",
    "Kopi susu gula aren ini lagi viral di mana-mana.",
    "Cara merawat tanaman hias supaya daunnya tidak menguning.",
    "Gempa kecil terasa di Yogyakarta tadi malam, semoga aman semua.",
    "Review ponsel murah dengan kamera yang lumayan bagus.",
    "Konser musik di Bandung penuh sampai ke luar gedung.",
    "Saya lulus kuliah setelah kerja sambil belajar selama lima tahun.",
    "Rumah sakit di kota kami membuka layanan vaksin untuk anak.",
    "Bikin es teler sendiri di rumah lebih murah dan enak.",
    "Heavy snow is expected across the north this weekend.",
    "This is the easiest banana bread recipe you will ever make.",
    "What a comeback in the second half, the fans could not believe it.",
    "Gas prices went up again at the station near my house.",
    "My cat learned to open the cupboard where we keep the treats.",
    "The city is repaving Main Street, so expect delays all month.",
    "Five things to pack for a long flight with kids.",
    "I finally finished my degree after years of night classes.",
    "Researchers found that walking after dinner helps you sleep.",
    "Unboxing the new laptop, the screen is amazing.",
    "Our local bakery just won an award for its sourdough.",
    "The concert was moved indoors because of the storm.",
    "Here is how to fix a leaking tap without calling a plumber.",
    "The museum opens a new dinosaur exhibit next week.",
    "My grandmother turned ninety and the whole family came.",
    "A new bus line will connect the airport to downtown.",
    "Il va pleuvoir toute la journée à Paris, prenez un parapluie.",
    "La recette de la tarte aux pommes de ma grand-mère.",
    "Quel match hier soir, le but à la dernière minute était incroyable.",
    "Le prix du pain a encore augmenté dans notre quartier.",
    "Mon chien adore courir sur la plage le matin.",
    "La mairie ferme la rue principale pour le marché de Noël.",
    "Conseils pour bien dormir quand il fait très chaud.",
    "J'ai enfin trouvé un appartement près de mon travail.",
    "Une nouvelle ligne de tramway ouvrira l'année prochaine.",
    "Test du nouveau téléphone : la batterie tient deux jours.",
    "Des chercheurs ont découvert une grotte ornée dans le sud.",
    "Le festival de musique a attiré des milliers de personnes.",
    "Mes enfants apprennent à nager cet été à la piscine municipale.",
    "Comment réparer un vélo crevé en dix minutes.",
    "Le café du coin fait les meilleurs croissants de la ville.",
    "Les vacances à la montagne, c'est le calme absolu.",
];

/// The mean vector of the neutral sentences, read as the text alone.
#[derive(Clone, Debug)]
pub struct NeutralMeans {
    /// Of all of them.
    pub mean: [f32; DIM],
    /// For each of `NEUTRAL_LANGUAGES`, its own mean minus `mean`.
    pub languages: Vec<(&'static str, [f32; DIM])>,
}

impl NeutralMeans {
    /// Returns the direction `language` adds to every text (none for a
    /// language without neutral sentences).
    pub fn language(&self, language: &str) -> Option<&[f32; DIM]> {
        self.languages
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, direction)| direction)
    }
}

impl Encoder {
    /// Returns the means of the neutral sentences, computed on first use
    /// (80 short texts, well under a second) and kept.
    pub fn neutral_means(&self) -> &NeutralMeans {
        self.neutral.get_or_init(|| {
            let vectors = self.embed(&NEUTRAL, Role::Text);
            let all = mean(&vectors);
            let languages = NEUTRAL_LANGUAGES
                .iter()
                .zip(vectors.chunks(PER_LANGUAGE))
                .map(|(language, own)| {
                    let own = mean(own);
                    (*language, std::array::from_fn(|i| own[i] - all[i]))
                })
                .collect();
            NeutralMeans {
                mean: all,
                languages,
            }
        })
    }
}

fn mean(vectors: &[[f32; DIM]]) -> [f32; DIM] {
    let mut mean = [0f32; DIM];
    for v in vectors {
        mean.iter_mut().zip(v).for_each(|(m, x)| *m += x);
    }
    let n = vectors.len().max(1) as f32;
    mean.iter_mut().for_each(|m| *m /= n);
    mean
}
