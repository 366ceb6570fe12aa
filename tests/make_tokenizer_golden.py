#!/usr/bin/env python3
"""Write golden token ids for the C++ tokenizers, using transformers as the oracle.

transformers builds a Hugging Face fast tokenizer (the `tokenizers` library) from the vocabulary a GGUF
file stores (`AutoTokenizer.from_pretrained(folder, gguf_file=name)`); that conversion, not our code,
decides the expected ids. tests/tokenizer/test_tokenizer_golden.cpp compares Tokenizer::from_gguf()
with these files, entry by entry.

Regenerate (from the repository root):

    python3 -m venv /tmp/tokvenv
    /tmp/tokvenv/bin/pip install -r tests/requirements-tokenizer.txt
    /tmp/tokvenv/bin/python tests/make_tokenizer_golden.py $(tests/fetch_models.sh all) \\
        --corpus tests/data/tokenizer/corpus.json --out tests/data/tokenizer

or, for some of the tiny tokenizers alone (no models, no torch needed):

    /tmp/tokvenv/bin/python tests/make_tokenizer_golden.py --only-tiny tiny-nfc tiny-nfkc \\
        --corpus tests/data/tokenizer/corpus.json --out tests/data/tokenizer

For each MODEL.gguf this writes OUT/<basename, lower case, without .gguf>.json:

    file, sha256, transformers_version, tokenizers_version, tokenizer_model, tokenizer_pre,
    oracle_adjustments   what was changed in transformers' conversion, and why (see KNOWN DIVERGENCES)
    cases                one per corpus entry, in corpus order:
                           name
                           plain     ids, no BOS, control-token text NOT parsed (encode_special_tokens)
                           special   ids, no BOS, control-token text parsed into control tokens
                           plain_unadjusted, special_unadjusted: only where an oracle adjustment changed them
    with_bos             {name, ids}: the first non-empty corpus entry encoded as transformers does with
                         add_special_tokens=True (BOS if the file's add_bos_token says so), control text
                         not parsed

and, for the loader of Hugging Face folders (Tokenizer::from_hf_folder), OUT/hf/:

    hf/<name>/tokenizer.json, tokenizer_config.json
        each real model's tokenizer as transformers exports it from the GGUF (save_pretrained), where the
        tokenizer.json is at most --hf-max-bytes (SmolLM2: 3.4 MB; Gemma 3's is 33 MB and is NOT committed:
        its golden is still written, and the test runs on it when HEARTH_HF_TOKENIZERS names a folder holding
        hf/<name>/, see --hf-export), and tiny tokenizers built here with the `tokenizers` library
        (trained on the corpus) to cover the pipeline components the real ones do not use:
          tiny-bytelevel      Split(Qwen2 regex) + ByteLevel(no regex), ignore_merges, TemplateProcessing
                              <|bos|> $A <|eos|>, special and non-special added tokens, lstrip/rstrip
          tiny-sentencepiece  Prepend + Replace normalizer, BPE with byte_fallback and fuse_unk, decoder
                              Replace/ByteFallback/Fuse/Strip, tokenizer_config add_bos_token + add_eos_token
          tiny-metaspace      Lowercase + Strip, Digits, Split MergedWithNext / MergedWithPrevious / Removed
                              (invert), Metaspace(prepend_scheme first), <unk> without byte fallback
          tiny-nfc            Qwen2's pipeline: NFC normalizer, Split(Qwen2 regex) + ByteLevel(no regex),
                              ByteLevel decoder and post-processor
          tiny-nfkc           NFKC + Prepend + Replace normalizer, BPE with byte_fallback (SentencePiece style)
        The golden of a tokenizer with a Unicode normalizer (tiny-nfc, tiny-nfkc) has more cases after the
        corpus's: NORMALIZATION_TEXTS (decomposed accents, Hangul jamo, ligatures, singletons, ...), each
        with its "text".
    hf/<name>.golden.json
        {"source", "tokenizers_version", "transformers_version", "committed", "cases": [{name, plain, special,
         decoded}], "with_special": {name, ids}} where plain/special are ids from `tokenizers` itself (control
        text not parsed / parsed), decoded is tokenizers' decode of `special`, and with_special is
        transformers' AutoTokenizer on the folder with add_special_tokens=True (BOS/EOS rules), given
        tokenizer_config.json's add_bos_token / add_eos_token explicitly (transformers 5 ignores them in the
        file when there is a tokenizer.json; transformers 4's Llama/Gemma tokenizers applied them).

and OUT/pretokenizers.json: for the pre-tokenizers of byte-level vocabularies Hearth knows but has no real
model for here (GGUF tokenizer.ggml.pre "gpt-2", "smollm", "llama-bpe", "qwen2"), the pieces Hugging Face
tokenizers cuts every corpus entry into (its Oniguruma regex engine against our PCRE2), as raw text:

    {"<pre name>": {"source": how the oracle was built, "pieces": [[piece, ...] per corpus entry]}}

KNOWN DIVERGENCES of transformers' GGUF conversion from the published tokenizers
  * SmolLM2 (tokenizer.ggml.pre = "smollm"): transformers gives the file GPT-2's ByteLevel pre-tokenizer
    alone. The published SmolLM2 tokenizer.json runs Digits(individual_digits=True) before ByteLevel, and
    llama.cpp's "smollm" pre-tokenizer likewise splits every \\p{N} first. The C++ follows the published
    tokenizer, so this script puts that pre-tokenizer back before encoding, and records it under
    oracle_adjustments together with how many entries the adjustment changes. (The vocabulary has no
    multi-digit tokens, so only runs of non-ASCII numerals such as "²³" can differ.)
  * Gemma 3: the file stores its user-defined whitespace tokens as real spaces ("  ", "   ", ... up to 31).
    transformers respells them "▁▁", "▁▁▁", ... for the vocabulary, and then its own check (`token in
    vocab`, on the unrespelled text) fails, so they are NOT added as added tokens, although its comment says
    user-defined tokens must be. Runs of spaces then reach them only through BPE merges: 40 spaces become
    16 + 24 spaces, where SentencePiece and llama.cpp match user-defined pieces whole, longest first
    (31 + 9). The C++ follows SentencePiece, so this script adds those tokens the way SentencePiece matches
    them (on the normalized text, "▁" runs, reusing their ids) and records it under oracle_adjustments.
    Entries the adjustments change keep transformers' unadjusted ids beside the golden ones
    ("plain_unadjusted", "special_unadjusted"), so the divergence stays visible.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import sys
import unicodedata
from pathlib import Path

from tokenizers import AddedToken, pre_tokenizers
from transformers import AutoTokenizer


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def gguf_fields(path: Path) -> dict:
    import gguf

    reader = gguf.GGUFReader(str(path))

    def strings(key):
        field = reader.fields.get(key)
        return None if field is None else [bytes(field.parts[i]).decode("utf-8") for i in field.data]

    def ints(key):
        field = reader.fields.get(key)
        return None if field is None else [int(field.parts[i][0]) for i in field.data]

    return {
        "model": (strings("tokenizer.ggml.model") or [None])[0],
        "pre": (strings("tokenizer.ggml.pre") or [None])[0],
        "tokens": strings("tokenizer.ggml.tokens"),
        "token_type": ints("tokenizer.ggml.token_type"),
    }


def encode(backend, text: str, parse_special: bool) -> list[int]:
    backend.encode_special_tokens = not parse_special
    try:
        return backend.encode(text, add_special_tokens=False).ids
    finally:
        backend.encode_special_tokens = False


def golden_for(model: Path, corpus: list[dict]) -> dict:
    tokenizer = AutoTokenizer.from_pretrained(str(model.parent), gguf_file=model.name)
    backend = tokenizer.backend_tokenizer
    fields = gguf_fields(model)
    tokenizer_model, pre = fields["model"], fields["pre"]
    adjustments = []
    unadjusted = [(encode(backend, c["text"], False), encode(backend, c["text"], True)) for c in corpus]

    if tokenizer_model == "gpt2" and pre == "smollm":
        before = [encode(backend, c["text"], False) for c in corpus]
        backend.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Digits(individual_digits=True),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
            ]
        )
        after = [encode(backend, c["text"], False) for c in corpus]
        changed = [c["name"] for c, b, a in zip(corpus, before, after) if b != a]
        adjustments.append(
            {
                "what": "pre_tokenizer = Sequence[Digits(individual_digits=True), ByteLevel(add_prefix_space=False)]",
                "why": "the published SmolLM2 tokenizer.json and llama.cpp's 'smollm' pre-tokenizer split every "
                "digit before the GPT-2 regex; transformers' GGUF conversion leaves the Digits step out",
                "entries_changed": changed,
            }
        )

    if tokenizer_model == "llama":
        vocab = backend.get_vocab(with_added_tokens=True)
        whitespace = [
            t
            for t, kind in zip(fields["tokens"], fields["token_type"] or ())
            if kind == 4 and t and not t.strip(" ") and t not in vocab and "\u2581" * len(t) in vocab
        ]
        if whitespace:
            before = [encode(backend, c["text"], False) for c in corpus]
            size = backend.get_vocab_size(with_added_tokens=True)
            backend.add_tokens([AddedToken("\u2581" * len(t), normalized=True, special=False) for t in whitespace])
            assert backend.get_vocab_size(with_added_tokens=True) == size, "the added tokens must reuse their ids"
            after = [encode(backend, c["text"], False) for c in corpus]
            adjustments.append(
                {
                    "what": f"{len(whitespace)} user-defined all-space tokens added as normalized added tokens "
                    "('\u2581' runs, their own ids)",
                    "why": "transformers respells them but then does not add them, so runs of spaces reach them only "
                    "through BPE merges; SentencePiece and llama.cpp match user-defined pieces whole, longest first",
                    "entries_changed": [c["name"] for c, b, a in zip(corpus, before, after) if b != a],
                }
            )

    cases = []
    for c, (plain_unadjusted, special_unadjusted) in zip(corpus, unadjusted):
        case = {
            "name": c["name"],
            "plain": encode(backend, c["text"], parse_special=False),
            "special": encode(backend, c["text"], parse_special=True),
        }
        if case["plain"] != plain_unadjusted:
            case["plain_unadjusted"] = plain_unadjusted
        if case["special"] != special_unadjusted:
            case["special_unadjusted"] = special_unadjusted
        cases.append(case)
        # The oracle must round-trip, or the entry tests nothing sensible.
        decoded = tokenizer.decode(cases[-1]["special"], skip_special_tokens=False, clean_up_tokenization_spaces=False)
        if decoded != c["text"]:
            print(f"{model.name}: oracle does not round-trip {c['name']!r}: {decoded!r}", file=sys.stderr)

    first = next(c for c in corpus if c["text"])
    backend.encode_special_tokens = True
    with_bos = tokenizer(first["text"], add_special_tokens=True)["input_ids"]
    backend.encode_special_tokens = False

    return {
        "file": model.name,
        "sha256": sha256(model),
        "transformers_version": importlib.metadata.version("transformers"),
        "tokenizers_version": importlib.metadata.version("tokenizers"),
        "tokenizer_model": tokenizer_model,
        "tokenizer_pre": pre,
        "oracle_adjustments": adjustments,
        "cases": cases,
        "with_bos": {"name": first["name"], "ids": with_bos},
    }


# ---- Hugging Face folders ------------------------------------------------------------------------------

# Extra cases for the tokenizers with a Unicode normalizer: text that normalization changes. The last one
# holds characters that `tokenizers` (Unicode 9.0 tables) leaves alone and Unicode 14.0 does not
# (engine/common/unicode_normalization.h, UnicodeVersion::v9_0).
NORMALIZATION_TEXTS = [
    ("decomposed_accents", "cafe\u0301 re\u0301sume\u0301 nai\u0308ve fac\u0327ade Cre\u0300me bru\u0302le\u0301e"),
    ("precomposed_accents", "caf\u00e9 r\u00e9sum\u00e9 na\u00efve fa\u00e7ade Cr\u00e8me br\u00fbl\u00e9e"),
    ("singletons", "\u212b \u00c5 A\u030a \u2126 \u03a9 \u212a K \u0958 \u0344 \u0f73 \uf900 \u2000x"),
    ("hangul_jamo", unicodedata.normalize("NFD", "\ud55c\uad6d\uc5b4 \ud615\ud0dc\uc18c \ubd84\uc11d\uc740 \uc5b4\ub835\uc2b5\ub2c8\ub2e4.")),
    ("hangul_lv_plus_t", "\uac00\u11a8 \u1100\u1161\u11a8 \uac01\u11a8 \u1100\u1161\u11a7 \u3131\u314f"),
    ("ligatures", "\ufb01nd the \ufb02ow, o\ufb03ce \ufb00 \ufb06 \u0132 \u01c4 \ufdfa"),
    ("compatibility", "\u2460 x\u00b2 \u00bd \uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \u3231 \u338f \u2122 \u216b \u017f \uff76\uff9e \u320e"),
    ("vietnamese_decomposed", unicodedata.normalize("NFD", "Ti\u1ebfng Vi\u1ec7t r\u1ea5t hay, ng\u01b0\u1eddi \u01a1i!")),
    ("marks_out_of_order", "q\u0307\u0323 o\u0323\u031b a\u0316\u0301 \u1e9b\u0323 d\u0307\u0323 a\u0301\u0301"),
    ("greek_cyrillic_decomposed", unicodedata.normalize("NFD", "\u1f04\u03bb\u03c6\u03b1 \u1ff7 \u0401\u043b\u043a\u0430 \u0439")),
    ("unicode_9_differences", "\ua7f2 \U00011935\U00011930 x\u1ac1\u0316 \u32ff \u0c15\u0c3c\u0c4d"),
]

QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def tiny_tokenizers(corpus: list[dict]) -> dict:
    """name -> (tokenizer.json text, tokenizer_config dict) for the tiny tokenizers, trained on the corpus."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, processors, trainers

    texts = [c["text"] for c in corpus if c["text"]] * 3
    result = {}

    # Byte-level BPE, Qwen-style, without Qwen's NFC normalizer (tiny-nfc has it).
    t = Tokenizer(models.BPE(ignore_merges=True))
    t.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    t.decoder = decoders.ByteLevel()
    t.train_from_iterator(
        texts,
        trainers.BpeTrainer(vocab_size=600, show_progress=False, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                            special_tokens=["<|bos|>", "<|eos|>", "<|im_start|>", "<|im_end|>"]),
    )
    t.add_tokens([AddedToken("<tool_call>", special=False, normalized=False), AddedToken("Hearth", special=False)])
    t.add_special_tokens([AddedToken("<mask>", lstrip=True, rstrip=True, special=True)])
    t.post_processor = processors.TemplateProcessing(
        single="<|bos|> $A <|eos|>", special_tokens=[("<|bos|>", t.token_to_id("<|bos|>")), ("<|eos|>", t.token_to_id("<|eos|>"))]
    )
    result["tiny-bytelevel"] = (t.to_str(), {"bos_token": "<|bos|>", "eos_token": "<|eos|>", "tokenizer_class": "TokenizersBackend"})

    # SentencePiece-style BPE with byte fallback, Llama 2 style.
    t = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    t.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    t.decoder = decoders.Sequence(
        [decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
    )
    t.train_from_iterator(
        texts,
        trainers.BpeTrainer(vocab_size=500, show_progress=False, limit_alphabet=150,
                            special_tokens=["<unk>", "<s>", "</s>", "<start_of_turn>", "<end_of_turn>"]),
    )
    spec = json.loads(t.to_str())
    vocab = spec["model"]["vocab"]
    for b in range(256):  # byte fallback needs <0x00>…<0xFF> in the model's vocabulary
        vocab.setdefault(f"<0x{b:02X}>", len(vocab))
    t = Tokenizer.from_str(json.dumps(spec))
    t.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", t.token_to_id("<s>"))])
    result["tiny-sentencepiece"] = (
        t.to_str(),
        {"bos_token": "<s>", "eos_token": "</s>", "add_bos_token": True, "add_eos_token": True,
         "tokenizer_class": "LlamaTokenizerFast", "legacy": True},
    )

    # Metaspace with the rarer split behaviours, <unk> without byte fallback.
    t = Tokenizer(models.BPE(unk_token="<unk>"))
    t.normalizer = normalizers.Sequence([normalizers.Lowercase(), normalizers.Strip()])
    t.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=False),
            pre_tokenizers.Split("-", behavior="merged_with_next"),
            pre_tokenizers.Split(Regex("[,.!?]"), behavior="merged_with_previous"),
            pre_tokenizers.Split(Regex("[^\t]+"), behavior="removed", invert=True),
            pre_tokenizers.Metaspace(prepend_scheme="first"),
        ]
    )
    t.decoder = decoders.Metaspace(prepend_scheme="first")
    t.train_from_iterator(
        texts, trainers.BpeTrainer(vocab_size=400, show_progress=False, limit_alphabet=120, special_tokens=["<unk>", "</s>"])
    )
    t.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", t.token_to_id("</s>"))])
    result["tiny-metaspace"] = (t.to_str(), {"eos_token": "</s>", "tokenizer_class": "TokenizersBackend"})

    # Qwen2's pipeline (tokenizer.json of Qwen2.5): NFC, the Qwen2 split regex, byte-level BPE.
    normalization_texts = texts + [text for _, text in NORMALIZATION_TEXTS] * 3
    t = Tokenizer(models.BPE(ignore_merges=False))
    t.normalizer = normalizers.NFC()
    t.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    t.decoder = decoders.ByteLevel()
    t.post_processor = processors.ByteLevel(trim_offsets=False)
    t.train_from_iterator(
        normalization_texts,
        trainers.BpeTrainer(vocab_size=700, show_progress=False, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                            special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"]),
    )
    result["tiny-nfc"] = (t.to_str(), {"eos_token": "<|im_end|>", "tokenizer_class": "TokenizersBackend"})

    # NFKC before SentencePiece-style BPE with byte fallback.
    t = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    t.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    t.decoder = decoders.Sequence(
        [decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
    )
    t.train_from_iterator(
        normalization_texts,
        trainers.BpeTrainer(vocab_size=500, show_progress=False, limit_alphabet=150, special_tokens=["<unk>", "<s>", "</s>"]),
    )
    spec = json.loads(t.to_str())
    vocab = spec["model"]["vocab"]
    for b in range(256):
        vocab.setdefault(f"<0x{b:02X}>", len(vocab))
    t = Tokenizer.from_str(json.dumps(spec))
    t.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", t.token_to_id("<s>"))])
    result["tiny-nfkc"] = (t.to_str(), {"bos_token": "<s>", "eos_token": "</s>", "tokenizer_class": "TokenizersBackend"})
    return result


def hf_golden(folder: Path, corpus: list[dict], source: str, committed: bool) -> dict:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))

    def ids(text: str, parse_special: bool) -> list[int]:
        tokenizer.encode_special_tokens = not parse_special
        try:
            return tokenizer.encode(text, add_special_tokens=False).ids
        finally:
            tokenizer.encode_special_tokens = False

    # A Unicode normalizer anywhere in the pipeline: the normalization texts too, each with its text.
    spec = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    unicode_forms = {"NFC", "NFKC", "NFD", "NFKD"}
    normalizer = spec.get("normalizer") or {}
    steps = normalizer.get("normalizers", [normalizer])
    extra = [{"name": n, "text": t} for n, t in NORMALIZATION_TEXTS] if any(s.get("type") in unicode_forms for s in steps) else []

    cases = []
    for i, c in enumerate(corpus + extra):
        special = ids(c["text"], True)
        case = {"name": c["name"]} | ({"text": c["text"]} if i >= len(corpus) else {})
        case |= {"plain": ids(c["text"], False), "special": special, "decoded": tokenizer.decode(special, skip_special_tokens=False)}
        cases.append(case)
    first = next(c for c in corpus if c["text"])
    # transformers 5 drops tokenizer_config.json's add_bos_token / add_eos_token when a tokenizer.json exists;
    # transformers 4's Llama and Gemma tokenizers applied them over the post-processor, and Hearth does too.
    # Passed explicitly, transformers 5 applies them as well.
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    flags = {k: config[k] for k in ("add_bos_token", "add_eos_token") if k in config}
    auto = AutoTokenizer.from_pretrained(str(folder), **flags)
    auto.backend_tokenizer.encode_special_tokens = True
    with_special = auto(first["text"], add_special_tokens=True)["input_ids"]
    return {
        "source": source,
        "tokenizers_version": importlib.metadata.version("tokenizers"),
        "transformers_version": importlib.metadata.version("transformers"),
        "tokenizer_json_sha256": sha256(folder / "tokenizer.json"),
        "committed": committed,
        "with_special": {"name": first["name"], "ids": with_special},
        "cases": cases,
    }


def write_cases_json(path: Path, golden: dict) -> None:
    # One case per line: small diffs when the oracle changes.
    head = json.dumps({k: v for k, v in golden.items() if k != "cases"}, ensure_ascii=False)[:-1] + ', "cases": ['
    lines = [head] + [json.dumps(c, ensure_ascii=False) + ("," if i + 1 < len(golden["cases"]) else "") for i, c in enumerate(golden["cases"])]
    path.write_text("\n".join(lines) + "\n]}\n", encoding="utf-8")


def write_hf(models: list[Path], corpus: list[dict], out: Path, max_bytes: int, export: Path | None,
             only_tiny: list[str] | None = None) -> None:
    import shutil
    import tempfile

    hf = out / "hf"
    hf.mkdir(parents=True, exist_ok=True)
    for model in models:
        name = model.name.lower().removesuffix(".gguf")
        with tempfile.TemporaryDirectory() as tmp:
            AutoTokenizer.from_pretrained(str(model.parent), gguf_file=model.name).save_pretrained(tmp)
            tmp = Path(tmp)
            committed = (tmp / "tokenizer.json").stat().st_size <= max_bytes
            golden = hf_golden(tmp, corpus, f"transformers' export of {model.name}", committed)
            for target in ([hf / name] if committed else []) + ([export / "hf" / name] if export else []):
                target.mkdir(parents=True, exist_ok=True)
                for f in ("tokenizer.json", "tokenizer_config.json"):
                    shutil.copy(tmp / f, target / f)
                print(f"wrote {target}")
            if not committed:
                print(f"{name}: tokenizer.json is {(tmp / 'tokenizer.json').stat().st_size} bytes, over --hf-max-bytes; not committed")
        write_cases_json(hf / f"{name}.golden.json", golden)
        print(f"wrote {hf / (name + '.golden.json')}")
    tiny = tiny_tokenizers(corpus)
    if only_tiny:
        unknown = set(only_tiny) - tiny.keys()
        if unknown:
            raise SystemExit(f"--only-tiny: no tiny tokenizer named {sorted(unknown)} (there are {sorted(tiny)})")
    for name, (spec, config) in tiny.items():
        if only_tiny and name not in only_tiny:
            continue
        folder = hf / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "tokenizer.json").write_text(json.dumps(json.loads(spec), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        write_cases_json(hf / f"{name}.golden.json", hf_golden(folder, corpus, "built by tests/make_tokenizer_golden.py", True))
        print(f"wrote {folder} and its golden")


def pretokenizer_pieces(corpus: list[dict]) -> dict:
    """Pieces per corpus entry for each named pre-tokenizer, from `tokenizers` itself."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode
    from transformers.integrations.gguf.gguf_tokenizer_mapping import GGUF_PRE_TOKENIZER_SPLITS
    from tokenizers import Regex

    byte_of = {ch: b for b, ch in bytes_to_unicode().items()}

    def unmap(piece: str) -> str:  # ByteLevel writes pieces in GPT-2's byte alphabet
        return bytes(byte_of[ch] for ch in piece).decode("utf-8")

    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    chains = {
        "gpt-2": ("ByteLevel(add_prefix_space=False, use_regex=True)", byte_level, True),
        "smollm": (
            "Sequence[Digits(individual_digits=True), ByteLevel(add_prefix_space=False, use_regex=True)]",
            pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True), byte_level]),
            True,
        ),
        "llama-bpe": (
            "Split(transformers GGUF_PRE_TOKENIZER_SPLITS['llama-bpe'], isolated)",
            pre_tokenizers.Split(Regex(GGUF_PRE_TOKENIZER_SPLITS["llama-bpe"]), behavior="isolated"),
            False,
        ),
        "qwen2": (
            "Split(transformers GGUF_PRE_TOKENIZER_SPLITS['qwen2'], isolated)",
            pre_tokenizers.Split(Regex(GGUF_PRE_TOKENIZER_SPLITS["qwen2"]), behavior="isolated"),
            False,
        ),
    }
    result = {}
    for name, (source, pre, mapped) in chains.items():
        pieces = []
        for c in corpus:
            cut = [p for p, _ in pre.pre_tokenize_str(c["text"])]
            pieces.append([unmap(p) if mapped else p for p in cut])
            assert "".join(pieces[-1]) == c["text"], (name, c["name"])
        result[name] = {"source": source, "pieces": pieces}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--hf-max-bytes", type=int, default=4 << 20, help="largest tokenizer.json committed")
    parser.add_argument("--hf-export", type=Path, help="also write every exported folder here (HEARTH_HF_TOKENIZERS)")
    parser.add_argument("--only-tiny", nargs="+", metavar="NAME",
                        help="write only these tiny tokenizers and their goldens (hf/NAME), nothing else; no models")
    args = parser.parse_args()

    corpus = json.loads(args.corpus.read_text(encoding="utf-8"))["cases"]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.only_tiny:
        write_hf([], corpus, args.out, args.hf_max_bytes, None, args.only_tiny)
        return 0
    if not args.models:
        parser.error("name the GGUF models (or use --only-tiny)")
    for model in args.models:
        golden = golden_for(model, corpus)
        name = model.name.lower().removesuffix(".gguf") + ".json"
        # One case per line: small diffs when the oracle changes.
        lines = [json.dumps({k: v for k, v in golden.items() if k != "cases"}, ensure_ascii=False)[:-1] + ', "cases": [']
        lines += [json.dumps(c, ensure_ascii=False) + ("," if i + 1 < len(golden["cases"]) else "") for i, c in enumerate(golden["cases"])]
        lines.append("]}")
        (args.out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        for adjustment in golden["oracle_adjustments"]:
            print(f"{model.name}: adjusted oracle ({adjustment['what']}); entries changed: {adjustment['entries_changed']}")
        print(f"wrote {args.out / name}")
    write_hf(args.models, corpus, args.out, args.hf_max_bytes, args.hf_export)
    pieces = pretokenizer_pieces(corpus)
    (args.out / "pretokenizers.json").write_text(
        "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in pieces.items()) + "\n}\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out / 'pretokenizers.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
