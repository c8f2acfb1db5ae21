//! Who speaks and who the claim is by: names folded to the keys that
//! tell whether a transcript's speaker is the claim's claimant.

use super::keys::{TermKey, term_key};

/// Words of speaker labels that name nobody: diarisation's "SPEAKER_00",
/// "Speaker 2", "unknown".
pub(super) const ANONYMOUS: [&str; 5] = ["speaker", "spk", "unknown", "unk", "voice"];

/// Words of claimants that are where a claim circulated, not who said it
/// ("Facebook posts", "Viral image", "Chain email", "Publicação em rede
/// social"): a speaker is never them. On the PolitiFact claims they are
/// about 2,600 of 19,250 claimants.
pub(super) const NOT_A_PERSON: [&str; 37] = [
    "post",
    "posts",
    "image",
    "images",
    "video",
    "videos",
    "meme",
    "memes",
    "email",
    "emails",
    "tweet",
    "tweets",
    "blog",
    "blogs",
    "blogger",
    "bloggers",
    "website",
    "websites",
    "viral",
    "chain",
    "social",
    "facebook",
    "instagram",
    "tiktok",
    "twitter",
    "youtube",
    "whatsapp",
    "telegram",
    "publicacao",
    "publicacoes",
    "rede",
    "redes",
    "publicacion",
    "publicaciones",
    "unggahan",
    "pesan",
    "berantai",
];

/// Keys of a claimant's name to compare with speakers: none when the
/// claimant names where the claim circulated rather than who made it.
pub fn claimant_keys(claimant: &str) -> Vec<TermKey> {
    let folded = crate::text::fold(claimant);
    if crate::text::words(&folded).any(|word| NOT_A_PERSON.contains(&word)) {
        return Vec::new();
    }
    keys_of_folded_name(&folded)
}

/// Keys of the words of a person's or organisation's name that can tell
/// it from another: folded, of three letters or more, not a number, not
/// an anonymous label. "Donald J. Trump" and "TRUMP" share `trump`.
pub fn name_keys(name: &str) -> Vec<TermKey> {
    keys_of_folded_name(&crate::text::fold(name))
}

/// `name_keys` of a name already folded.
pub(super) fn keys_of_folded_name(folded: &str) -> Vec<TermKey> {
    let mut keys = Vec::new();
    for word in crate::text::words(folded) {
        if word.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !ANONYMOUS.contains(&word) {
            let key = term_key(word);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}
