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
        hf/<name>/, see --hf-export), and three tiny tokenizers built here with the `tokenizers` library
        (trained on the corpus) to cover the pipeline components the real ones do not use:
          tiny-bytelevel      Split(Qwen2 regex) + ByteLevel(no regex), ignore_merges, TemplateProcessing
                              <|bos|> $A <|eos|>, special and non-special added tokens, lstrip/rstrip
          tiny-sentencepiece  Prepend + Replace normalizer, BPE with byte_fallback and fuse_unk, decoder
                              Replace/ByteFallback/Fuse/Strip, tokenizer_config add_bos_token + add_eos_token
          tiny-metaspace      Lowercase + Strip, Digits, Split MergedWithNext / MergedWithPrevious / Removed
                              (invert), Metaspace(prepend_scheme first), <unk> without byte fallback
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

QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def tiny_tokenizers(corpus: list[dict]) -> dict:
    """name -> (tokenizer.json text, tokenizer_config dict) for the tiny tokenizers, trained on the corpus."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, processors, trainers

    texts = [c["text"] for c in corpus if c["text"]] * 3
    result = {}

    # Byte-level BPE, Qwen-style.
    # NOTE: no NFC normalizer, although Qwen's has one: Hearth builds without ICU by default and then refuses
    # NFC/NFKC (tests/tokenizer/test_tokenizer_hf.cpp checks that refusal on an edited copy of this file).
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

    cases = []
    for c in corpus:
        special = ids(c["text"], True)
        cases.append({"name": c["name"], "plain": ids(c["text"], False), "special": special,
                      "decoded": tokenizer.decode(special, skip_special_tokens=False)})
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


def write_hf(models: list[Path], corpus: list[dict], out: Path, max_bytes: int, export: Path | None) -> None:
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
    for name, (spec, config) in tiny_tokenizers(corpus).items():
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
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--hf-max-bytes", type=int, default=4 << 20, help="largest tokenizer.json committed")
    parser.add_argument("--hf-export", type=Path, help="also write every exported folder here (HEARTH_HF_TOKENIZERS)")
    args = parser.parse_args()

    corpus = json.loads(args.corpus.read_text(encoding="utf-8"))["cases"]
    args.out.mkdir(parents=True, exist_ok=True)
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
