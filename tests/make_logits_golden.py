#!/usr/bin/env python3
"""Write golden logits for the CPU engine's forward pass, using Hugging Face transformers as the oracle.

transformers' own PyTorch model code (float32, CPU, eager attention) computes the expected logits; our C++
engine is compared with them by the tests that read tests/data/golden/logits/.

Environment: the tokenizer-oracle venv, pinned by tests/requirements-tokenizer.txt (torch, transformers,
gguf, tokenizers, numpy; transformers' GGUF loader needs all of them). Regenerate from the repository root:

    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install -r tests/requirements-tokenizer.txt
    /tmp/tokvenv/bin/python tests/make_logits_golden.py \\
        --fixtures build/eng/fixtures/models --models ~/.cache/hearth/models

(--fixtures: the OUTDIR of tests/make_tiny_models.py; --models: where tests/fetch_models.sh puts the real
models. --out defaults to tests/data/golden/logits.) Runs in a few minutes on 2 CPU cores.

What it writes (OUT/...):

  tiny-<arch>.json, arch in llama, qwen2, qwen3, gemma3: the random-weight fixture hf/<arch>-f32
      {"model": "hf/<arch>-f32", "transformers", "torch",
       "tokens": the 48 UTF-8 bytes of TINY_TEXT (vocab 256 = one token per byte; nothing added),
       "logits": 48 rows of 256 floats, one row per position, from ONE forward pass over positions 0..47}
      48 > the gemma3 fixture's sliding window (8), so the sliding-window mask is exercised.

  <model basename without .gguf>.json for each real GGUF model (SmolLM2-135M-Instruct.Q4_1,
  gemma-3-270m-Q4_K_M). transformers dequantizes the GGUF weights to float32 and runs its own model.
      {"model_file", "model_sha256", "transformers", "torch",
       "text_file": "tests/data/text/oracle_prose.txt",
       "tokens": tokenizer(text)["input_ids"] with the model's default special-token handling (Gemma: <bos>
                 first; SmolLM2: nothing added), at most MAX_TOKENS (must be >= MIN_TOKENS),
       "top_k": 16,
       "positions": one entry per token position (teacher forcing: one forward over all tokens):
                    {"ids": top-k ids, highest logit first, "logits": their logits,
                     "lse": log-sum-exp of the position's logits over the whole vocabulary},
       "chat": {"messages": [one user question], or null for a model without a chat template,
                "prompt_text": the prompt as text,
                "prompt_tokens": apply_chat_template(messages, add_generation_prompt=True) where the model has
                                 a chat template (SmolLM2); otherwise (base Gemma 3 has none) tokenizer(
                                 PLAIN_PROMPT)["input_ids"] (prompt_text = PLAIN_PROMPT),
                "greedy_tokens": exactly GREEDY_STEPS ids from our own loop (KV cache + argmax), NOT stopped
                                 at EOS,
                "greedy_text": tokenizer.decode(greedy_tokens) with special tokens kept,
                "greedy_margins": per greedy step, top-1 minus top-2 logit (float32 oracle); a step with a
                                  small margin can flip under quantized arithmetic, and every later token
                                  with it}}

Floats are written as the shortest decimal that round-trips the float32 value through a double parse
(checked; otherwise the exact double repr). Top-k ids, like argmax, follow torch.topk; exact ties are not
expected with real weights.

Tolerances the C++ tests use against these files:
  * tiny fp32 fixtures: on every position, max_i |ours_i - golden_i| <= 1e-4 * max_i |golden_i|
    (relative error <= 1e-4 per position).
  * real quantized models (our kernels may quantize activations, transformers computes in float32 on
    dequantized weights): argmax identical on >= 99% of positions, and the 64 greedy tokens identical.

Oracle caveats (checked by this script, so a changed input fails loudly rather than silently drifting):
  * transformers' GGUF tokenizer conversion for SmolLM2 ("smollm" pre-tokenizer) omits the Digits split the
    published tokenizer has (see tests/make_tokenizer_golden.py). The vocabulary has no multi-digit tokens, so
    ASCII numbers are unaffected; the script asserts the ids are the same with the Digits step put back.
  * Gemma 3's all-space user-defined tokens are not added by transformers' conversion (same file); the prose
    has no runs of spaces, which the script asserts.
  * llama.cpp stores Gemma norm weights as 1 + w; transformers' GGUF loader subtracts the 1 again
    (Gemma2TensorProcessor, also used for gemma3), so its model computes x * (1 + w) as intended. The gemma
    greedy text is a check on that.
  * transformers undoes llama.cpp's Q/K row permutation for llama; the script checks this on the tiny fixture
    gguf/llama-f32.gguf against hf/llama-f32 (no golden is written for it).
  * The greedy run is re-checked with one uncached forward over prompt + generated tokens (the KV-cache
    path must give the same argmax); steps with a top-1/top-2 margin below NEAR_TIE are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "tests" / "data" / "golden" / "logits"
TEXT_FILE = "tests/data/text/oracle_prose.txt"

TINY_ARCHS = ("llama", "qwen2", "qwen3", "gemma3")
TINY_TEXT = "The tide rises twice a day and the gulls follow."  # 48 bytes
TINY_GGUF_CHECK = ("gguf/llama-f32.gguf", "hf/llama-f32")

REAL_MODELS = ("SmolLM2-135M-Instruct.Q4_1.gguf", "gemma-3-270m-Q4_K_M.gguf")
MIN_TOKENS, MAX_TOKENS = 512, 640
TOP_K = 16
GREEDY_STEPS = 64
CHAT_MESSAGES = [{"role": "user", "content": "What is the capital of France? Answer in one sentence."}]
# For models without a chat template (base Gemma 3). Chosen for a robust greedy path: its smallest top-1/top-2
# margin over the 64 steps is 0.26 logits, where "The capital of France is" has 0.005 (step 25) and 0.014
# (step 11), ties that quantized arithmetic can flip.
PLAIN_PROMPT = "The sun rises in the east and sets in the"
NEAR_TIE = 0.1  # greedy steps with a smaller top-1/top-2 logit margin are reported


# --------------------------------------------------------------------------
# Setup and formatting
# --------------------------------------------------------------------------

def setup_torch(threads: int) -> None:
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    torch.set_float32_matmul_precision("highest")  # no TF32 / reduced-precision matmuls
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_grad_enabled(False)


def f32(x) -> str:
    """A JSON number that parses (as a double, then cast to float) back to exactly this float32."""
    v = np.float32(x)
    if not np.isfinite(v):
        raise ValueError(f"non-finite logit {v}")
    s = str(v)  # numpy: shortest repr that round-trips as float32
    if np.float32(float(s)) != v:  # guard against double rounding through a double parse
        s = repr(float(v))
    return s


def f32_list(xs) -> str:
    return "[" + ", ".join(f32(x) for x in xs) + "]"


def versions() -> dict:
    return {
        "transformers": importlib.metadata.version("transformers"),
        "torch": importlib.metadata.version("torch"),
    }


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def load_model(folder: Path, gguf_file: str | None = None):
    from transformers import AutoModelForCausalLM

    kwargs = {"gguf_file": gguf_file} if gguf_file else {}
    with accelerate_guard_lifted(gguf_file is not None):
        model = AutoModelForCausalLM.from_pretrained(
            str(folder), dtype=torch.float32, attn_implementation="eager", **kwargs
        )
    model.eval()
    return model


@contextlib.contextmanager
def accelerate_guard_lifted(active: bool):
    """from_pretrained(gguf_file=...) refuses to run without the `accelerate` package, which the pinned
    environment does not have. For llama and gemma3 (transformers' legacy GGUF path: gguf-py dequantizes
    every tensor to float, no device map) nothing on that path uses accelerate: the guard is the only
    reference. Lift it for this one call rather than add an unpinned package."""
    import transformers.modeling_utils as mu

    if not active or mu.is_accelerate_available():
        yield
        return
    saved = mu.is_accelerate_available
    mu.is_accelerate_available = lambda *a, **k: True
    try:
        yield
    finally:
        mu.is_accelerate_available = saved


def forward_logits(model, tokens: list[int]) -> torch.Tensor:
    """One forward pass over all tokens (positions 0..n-1); float32 logits [n, vocab]."""
    out = model(input_ids=torch.tensor([tokens], dtype=torch.long), use_cache=False)
    logits = out.logits[0]
    assert logits.dtype == torch.float32, logits.dtype
    return logits


# --------------------------------------------------------------------------
# Tiny fixtures
# --------------------------------------------------------------------------

def tiny_tokens() -> list[int]:
    tokens = list(TINY_TEXT.encode("utf-8"))
    assert len(tokens) == 48, len(tokens)
    return tokens


def tiny_golden(fixtures: Path, arch: str, out: Path) -> torch.Tensor:
    model = load_model(fixtures / "hf" / f"{arch}-f32")
    if arch == "gemma3":
        assert model.config.sliding_window < 48, "the tokens must exceed the sliding window"
    tokens = tiny_tokens()
    logits = forward_logits(model, tokens)
    assert logits.shape == (48, 256), logits.shape
    header = {"model": f"hf/{arch}-f32", **versions(), "tokens": tokens}
    lines = [json.dumps(header)[:-1] + ', "logits": [']
    rows = logits.numpy()
    lines += [f32_list(row) + ("," if i + 1 < len(rows) else "") for i, row in enumerate(rows)]
    lines.append("]}")
    path = out / f"tiny-{arch}.json"
    write_text(path, "\n".join(lines) + "\n")
    # Read back: the file must hold exactly these float32 values.
    back = json.loads(path.read_text(encoding="utf-8"))
    assert back["tokens"] == tokens
    assert np.array_equal(np.array(back["logits"], dtype=np.float64).astype(np.float32), rows)
    print(f"wrote {path} ({path.stat().st_size} bytes); |logits| max {float(rows.__abs__().max()):.4g}")
    return logits


def tiny_gguf_check(fixtures: Path, hf_logits: torch.Tensor) -> float:
    """transformers reading the GGUF F32 tiny llama (Q/K rows permuted the llama.cpp way) must agree with
    the HF safetensors one."""
    gguf_path = fixtures / TINY_GGUF_CHECK[0]
    model = load_model(gguf_path.parent, gguf_path.name)
    logits = forward_logits(model, tiny_tokens())
    diff = float((logits - hf_logits).abs().max())
    print(f"check: {TINY_GGUF_CHECK[0]} vs {TINY_GGUF_CHECK[1]}: max |logit diff| = {diff:.3g}")
    assert diff <= 1e-4, "transformers' GGUF llama loader disagrees with the HF fixture"
    return diff


# --------------------------------------------------------------------------
# Real models
# --------------------------------------------------------------------------

def gguf_string(path: Path, key: str) -> str | None:
    import gguf

    field = gguf.GGUFReader(str(path)).fields.get(key)
    return None if field is None else bytes(field.parts[field.data[0]]).decode("utf-8")


def text_tokens(tokenizer, model_path: Path, text: str) -> list[int]:
    tokens = tokenizer(text)["input_ids"]
    # See "Oracle caveats" above.
    assert "  " not in text, "runs of spaces hit a known transformers/Gemma tokenizer divergence"
    if gguf_string(model_path, "tokenizer.ggml.pre") == "smollm":
        from tokenizers import pre_tokenizers

        backend = tokenizer.backend_tokenizer
        saved = backend.pre_tokenizer
        backend.pre_tokenizer = pre_tokenizers.Sequence(
            [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)]
        )
        try:
            assert tokenizer(text)["input_ids"] == tokens, "digit splitting changes the ids"
        finally:
            backend.pre_tokenizer = saved
    assert tokenizer.decode(tokens, skip_special_tokens=True) == text, "the tokens do not round-trip"
    assert len(tokens) >= MIN_TOKENS, f"prose gives only {len(tokens)} tokens"
    return tokens[:MAX_TOKENS]


def chat_prompt(tokenizer) -> tuple[list | None, str, list[int]]:
    """(messages or None, prompt text, prompt ids)."""
    if tokenizer.chat_template:
        text = tokenizer.apply_chat_template(CHAT_MESSAGES, add_generation_prompt=True, tokenize=False)
        ids = tokenizer.apply_chat_template(CHAT_MESSAGES, add_generation_prompt=True, tokenize=True,
                                            return_dict=True)["input_ids"]
        return CHAT_MESSAGES, text, list(ids)
    return None, PLAIN_PROMPT, tokenizer(PLAIN_PROMPT)["input_ids"]


def greedy(model, prompt: list[int], steps: int) -> list[int]:
    """Our own greedy loop: prefill, then one token at a time through the KV cache; no EOS stop."""
    generated = []
    cache = None
    inp = torch.tensor([prompt], dtype=torch.long)
    for _ in range(steps):
        out = model(input_ids=inp, past_key_values=cache, use_cache=True, logits_to_keep=1)
        cache = out.past_key_values
        nxt = int(out.logits[0, -1].argmax())
        generated.append(nxt)
        inp = torch.tensor([[nxt]], dtype=torch.long)
    return generated


def greedy_recheck(model, prompt: list[int], generated: list[int]) -> list[float]:
    """Uncached forward over prompt + generated: its argmax must reproduce the greedy path. Returns the
    top-1 minus top-2 logit at every step of the path."""
    logits = forward_logits(model, prompt + generated[:-1])[len(prompt) - 1:]
    top2 = torch.topk(logits, 2, dim=-1)
    again = top2.indices[:, 0].tolist()
    if again != generated:
        bad = next(i for i, (a, b) in enumerate(zip(again, generated)) if a != b)
        raise AssertionError(f"uncached forward disagrees with the cached greedy loop at step {bad}")
    return (top2.values[:, 0] - top2.values[:, 1]).tolist()


def real_golden(models: Path, name: str, text: str, out: Path) -> dict:
    from transformers import AutoTokenizer

    path = models / name
    t0 = time.time()
    tokenizer = AutoTokenizer.from_pretrained(str(models), gguf_file=name)
    model = load_model(models, name)
    t_load = time.time() - t0

    tokens = text_tokens(tokenizer, path, text)
    t0 = time.time()
    logits = forward_logits(model, tokens)
    top = torch.topk(logits, TOP_K, dim=-1)
    lse = torch.logsumexp(logits.double(), dim=-1)
    argmax = logits.argmax(-1)
    targets = torch.tensor(tokens[1:])
    accuracy = float((argmax[:-1] == targets).double().mean())
    nll = float((lse[:-1] - logits[:-1].double().gather(1, targets[:, None])[:, 0]).mean())
    t_tf = time.time() - t0

    t0 = time.time()
    messages, prompt_text, prompt = chat_prompt(tokenizer)
    generated = greedy(model, prompt, GREEDY_STEPS)
    margins = greedy_recheck(model, prompt, generated)
    t_greedy = time.time() - t0
    greedy_text = tokenizer.decode(generated, skip_special_tokens=False)

    header = {
        "model_file": name,
        "model_sha256": sha256(path),
        **versions(),
        "text_file": TEXT_FILE,
        "tokens": tokens,
        "top_k": TOP_K,
        "chat": {
            "messages": messages,
            "prompt_text": prompt_text,
            "prompt_tokens": prompt,
            "greedy_tokens": generated,
            "greedy_text": greedy_text,
            "greedy_margins": [float(f32(m)) for m in margins],
        },
    }
    lines = [json.dumps(header, ensure_ascii=False)[:-1] + ', "positions": [']
    ids, vals, lses = top.indices.tolist(), top.values.numpy(), lse.numpy()
    for i in range(len(tokens)):
        entry = '{"ids": %s, "logits": %s, "lse": %s}' % (json.dumps(ids[i]), f32_list(vals[i]), f32(lses[i]))
        lines.append(entry + ("," if i + 1 < len(tokens) else ""))
    lines.append("]}")
    dest = out / (name.removesuffix(".gguf") + ".json")
    write_text(dest, "\n".join(lines) + "\n")

    back = json.loads(dest.read_text(encoding="utf-8"))
    assert len(back["positions"]) == len(tokens) and len(back["chat"]["greedy_tokens"]) == GREEDY_STEPS
    assert np.array_equal(np.array([p["logits"] for p in back["positions"]]).astype(np.float32), vals)

    print(f"wrote {dest} ({dest.stat().st_size} bytes)")
    print(f"  {len(tokens)} tokens; teacher-forced argmax == next token on {accuracy:.1%} of positions; "
          f"mean NLL {nll:.3f} nats (perplexity {np.exp(nll):.1f})")
    print(f"  prompt ({len(prompt)} tokens): {prompt_text!r}")
    print(f"  greedy: {greedy_text!r}")
    close = [(i, round(m, 4)) for i, m in enumerate(margins) if m < NEAR_TIE]
    print(f"  greedy steps whose top-1/top-2 logit margin is < {NEAR_TIE}: {close or 'none'}")
    print(f"  time: load {t_load:.1f}s, teacher-forced {t_tf:.1f}s, greedy {t_greedy:.1f}s")
    return {"tokens": len(tokens), "accuracy": accuracy, "greedy_text": greedy_text}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, required=True, help="OUTDIR of tests/make_tiny_models.py")
    parser.add_argument("--models", type=Path, required=True, help="folder holding the real .gguf models")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    setup_torch(args.threads)
    start = time.time()
    args.out.mkdir(parents=True, exist_ok=True)

    for arch in TINY_ARCHS:
        logits = tiny_golden(args.fixtures, arch, args.out)
        if arch == "llama":
            tiny_gguf_check(args.fixtures, logits)

    text = (REPO / TEXT_FILE).read_text(encoding="utf-8")
    for name in REAL_MODELS:
        real_golden(args.models.expanduser(), name, text, args.out)

    print(f"done in {time.time() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
