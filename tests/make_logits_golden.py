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
models; without --models only the tiny goldens are written. --out defaults to tests/data/golden/logits.) Runs
in a few minutes on 2 CPU cores.

What it writes (OUT/...):

  tiny-<arch>.json, arch in llama, qwen2, qwen3, gemma3: the random-weight fixture hf/<arch>-f32
      {"model": "hf/<arch>-f32", "transformers", "torch",
       "tokens": the 48 UTF-8 bytes of TINY_TEXT (vocab 256 = one token per byte; nothing added),
       "logits": 48 rows of 256 floats, one row per position, from ONE forward pass over positions 0..47}
      48 > the gemma3 fixture's sliding window (8), so the sliding-window mask is exercised.

  tiny-<variant>.json, one per feature variant of tests/make_tiny_models.py (VARIANTS there), same format plus
  "oracle": a sentence naming what computed the logits. The same 48 tokens.
      llama-rope-linear, llama-rope-llama3: transformers' LlamaForCausalLM on hf/<variant>-f32 (its own
          rope_scaling code, "linear" and "llama3"); llama3's original context (32) is shorter than the text.
      gemma3-softcap: transformers' Gemma3ForCausalLM on hf/gemma3-softcap-f32: final logit soft-capping is its
          own; attention logit soft-capping, which its Gemma 3 ignores, is handed to its eager attention the
          way its Gemma 2 does (see softcap_golden()).
      llama-chunked-nope: transformers' Llama4ForCausalLM, built dense (see chunked_nope_golden()) from the
          weights of hf/llama-chunked-nope-f32: its own chunked attention mask and NoPE layer; cross-checked
          against a second construction from LlamaForCausalLM with a per-layer custom mask and identity RoPE.
      Each feature is checked to matter: switched off in the oracle, the logits move by more than FEATURE_EFFECT
      (relative, at the worst position), 100 times the tests' tolerance, so a test that ignores it fails.

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
import inspect
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
# Feature variants of the tiny fixtures (tests/make_tiny_models.py VARIANTS) and how each one's golden is made.
TINY_VARIANTS = ("llama-rope-linear", "llama-rope-llama3", "gemma3-softcap", "llama-chunked-nope")
TOLERANCE = 1e-4  # the C++ tests' relative tolerance on the tiny fixtures
FEATURE_EFFECT = 100 * TOLERANCE  # a feature switched off must move the logits at least this much

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
    write_tiny(out / f"tiny-{arch}.json", {"model": f"hf/{arch}-f32"}, tokens, logits)
    return logits


def write_tiny(path: Path, header: dict, tokens: list[int], logits: torch.Tensor) -> None:
    assert logits.shape == (48, 256), logits.shape
    header = {**header, **versions(), "tokens": tokens}
    lines = [json.dumps(header)[:-1] + ', "logits": [']
    rows = logits.numpy()
    lines += [f32_list(row) + ("," if i + 1 < len(rows) else "") for i, row in enumerate(rows)]
    lines.append("]}")
    write_text(path, "\n".join(lines) + "\n")
    # Read back: the file must hold exactly these float32 values.
    back = json.loads(path.read_text(encoding="utf-8"))
    assert back["tokens"] == tokens
    assert np.array_equal(np.array(back["logits"], dtype=np.float64).astype(np.float32), rows)
    print(f"wrote {path} ({path.stat().st_size} bytes); |logits| max {float(rows.__abs__().max()):.4g}")


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
# Tiny feature variants
# --------------------------------------------------------------------------

def relative_change(a: torch.Tensor, b: torch.Tensor) -> float:
    """The tests' error measure between two [n, vocab] logit tensors: the worst position's
    max |a - b| / max |b|."""
    return float(((a - b).abs().amax(-1) / b.abs().amax(-1)).max())


def require_effect(what: str, with_feature: torch.Tensor, without: torch.Tensor) -> None:
    change = relative_change(without, with_feature)
    print(f"  check: {what} moves the logits by {change:.4g} (relative, worst position)")
    assert change > FEATURE_EFFECT, f"{what} barely changes the logits ({change:.3g}): a test could not see it"


@contextlib.contextmanager
def replaced_inv_freq(model, inv_freq: torch.Tensor):
    """Run the model with other RoPE frequencies (transformers reads rotary_emb.inv_freq on every forward)."""
    rotary = model.model.rotary_emb
    saved = rotary.inv_freq.clone()
    rotary.inv_freq.copy_(inv_freq)
    try:
        yield
    finally:
        rotary.inv_freq.copy_(saved)


def rope_scaling_golden(fixtures: Path, variant: str, out: Path) -> None:
    """llama-rope-linear / llama-rope-llama3: transformers' own rope_scaling code on the HF folder."""
    folder = f"hf/{variant}-f32"
    model = load_model(fixtures / folder)
    scaling = json.loads((fixtures / folder / "config.json").read_text())["rope_scaling"]
    kind = scaling.get("rope_type", scaling.get("type"))
    rotary = model.model.rotary_emb
    # transformers 5 reads the legacy rope_scaling key into rope_parameters; make sure it did.
    assert rotary.rope_type == kind, f"transformers runs rope_type {rotary.rope_type!r}, the config says {kind!r}"
    tokens = tiny_tokens()
    logits = forward_logits(model, tokens)

    cfg = model.config
    dim = cfg.head_dim
    plain = 1.0 / (cfg.rope_parameters["rope_theta"] ** (torch.arange(0, dim, 2, dtype=torch.float) / dim))
    factor = scaling["factor"]
    if kind == "linear":
        assert torch.allclose(rotary.inv_freq, plain / factor), "linear scaling did not divide every frequency"
        with replaced_inv_freq(model, plain):
            require_effect("linear scaling", logits, forward_logits(model, tokens))
    else:
        # Each of llama3's three bands must matter on its own: give one band the treatment of another and
        # the logits must move.
        original = scaling["original_max_position_embeddings"]
        assert len(tokens) > original, "the text must run past the original context"
        wavelen = 2 * torch.pi / plain
        high = wavelen < original / scaling["high_freq_factor"]   # kept as they are
        low = wavelen > original / scaling["low_freq_factor"]     # divided by the factor
        medium = ~high & ~low                                     # smoothed in between
        print(f"  llama3 bands over {len(plain)} frequencies: kept {int(high.sum())}, smoothed "
              f"{int(medium.sum())}, divided {int(low.sum())}")
        assert high.any() and medium.any() and low.any(), "a llama3 band is empty"
        assert torch.equal(rotary.inv_freq[high], plain[high])
        assert torch.allclose(rotary.inv_freq[low], plain[low] / factor)
        ours = rotary.inv_freq
        for band, name, other in ((high, "its kept band", plain / factor), (medium, "its smoothed band", plain),
                                  (low, "its divided band", plain)):
            with replaced_inv_freq(model, torch.where(band, other, ours)):
                require_effect(f"llama3 scaling, {name}", logits, forward_logits(model, tokens))
    write_tiny(out / f"tiny-{variant}.json",
               {"model": folder, "oracle": f"transformers LlamaForCausalLM, rope_scaling {kind} (eager)"},
               tokens, logits)


def softcap_golden(fixtures: Path, out: Path) -> None:
    """gemma3-softcap: transformers' Gemma3ForCausalLM on hf/gemma3-softcap-f32, with one addition.

    Final logit soft-capping is Gemma3ForCausalLM's own (cap * tanh(logits / cap) in its LM head).
    Attention logit soft-capping is NOT applied by transformers' Gemma 3: Gemma3Attention stores
    config.attn_logit_softcapping but never passes it on (real Gemma 3 configs have it null; Gemma 3 replaced
    it with QK-norm). transformers' Gemma 2 does apply it, by passing softcap=config.attn_logit_softcapping to
    eager_attention_forward, a function Gemma 3's modeling file carries identically (scores * scaling, then
    cap * tanh(scores / cap), then the mask, then softmax). A forward pre-hook passes that same argument to
    each Gemma 3 attention module, so the capping is transformers' code, applied where Gemma 2 applies it,
    to Gemma 3's block (QK-norm, sandwich norms, per-layer-type RoPE base).
    """
    import transformers.models.gemma2.modeling_gemma2 as gemma2
    import transformers.models.gemma3.modeling_gemma3 as gemma3

    folder = "hf/gemma3-softcap-f32"
    model = load_model(fixtures / folder)
    cfg = model.config
    assert cfg.attn_logit_softcapping and cfg.final_logit_softcapping, "transformers dropped the soft-caps"
    assert cfg._attn_implementation == "eager"
    assert inspect.getsource(gemma2.eager_attention_forward) == inspect.getsource(gemma3.eager_attention_forward)
    tokens = tiny_tokens()
    unpatched = forward_logits(model, tokens)

    def pass_softcap(module, args, kwargs):
        kwargs["softcap"] = module.config.attn_logit_softcapping
        return args, kwargs

    hooks = [layer.self_attn.register_forward_pre_hook(pass_softcap, with_kwargs=True) for layer in model.model.layers]
    logits = forward_logits(model, tokens)
    require_effect("attn_logit_softcapping", logits, unpatched)
    assert float(logits.abs().max()) < cfg.final_logit_softcapping
    saved = cfg.final_logit_softcapping
    cfg.final_logit_softcapping = None
    try:
        require_effect("final_logit_softcapping", logits, forward_logits(model, tokens))
    finally:
        cfg.final_logit_softcapping = saved
    assert torch.equal(forward_logits(model, tokens), logits)
    for hook in hooks:
        hook.remove()
    write_tiny(out / "tiny-gemma3-softcap.json",
               {"model": folder,
                "oracle": "transformers Gemma3ForCausalLM (eager) with its final_logit_softcapping; "
                          "attn_logit_softcapping passed to its eager attention as Gemma2Attention passes it "
                          "(transformers' Gemma 3 stores but does not apply it)"},
               tokens, logits)


def llama4_dense(weights: dict[str, torch.Tensor], fixture_cfg: dict, no_rope_layers: list[int], chunk: int):
    """transformers' Llama4ForCausalLM holding a Llama fixture's weights, configured so that it computes a
    dense Llama with Llama 4's attention layout and nothing else of Llama 4:
      * moe_layers = []: every layer's feed-forward is Llama4TextMLP (SiLU-gated, intermediate_size_mlp), the
        same block as Llama's MLP; no router, no experts.
      * use_qk_norm = False: no L2 norm of q and k on the RoPE layers.
      * attn_temperature_tuning = False: no position-dependent query scaling on the NoPE layers.
      * no_rope_layers[i] = 0 makes layer i NoPE; layer_types is left to the config's own default, which
        makes the RoPE layers chunked_attention (attention_chunk_size) and the NoPE layers full_attention.
    Llama 4 rotates adjacent pairs (2i, 2i+1) of each head (complex multiplication), Llama as transformers
    stores it rotates (i, i + d/2): the two agree once the Q/K rows of each head are put in Meta's order,
    which is what tests/make_tiny_models.py's llama_permute does for GGUF.
    """
    from transformers import Llama4ForCausalLM, Llama4TextConfig

    cfg = Llama4TextConfig(
        vocab_size=fixture_cfg["vocab_size"],
        hidden_size=fixture_cfg["hidden_size"],
        intermediate_size=fixture_cfg["intermediate_size"],
        intermediate_size_mlp=fixture_cfg["intermediate_size"],
        num_hidden_layers=fixture_cfg["num_hidden_layers"],
        num_attention_heads=fixture_cfg["num_attention_heads"],
        num_key_value_heads=fixture_cfg["num_key_value_heads"],
        head_dim=fixture_cfg["head_dim"],
        hidden_act=fixture_cfg["hidden_act"],
        max_position_embeddings=fixture_cfg["max_position_embeddings"],
        rms_norm_eps=fixture_cfg["rms_norm_eps"],
        rope_parameters={"rope_type": "default", "rope_theta": fixture_cfg["rope_theta"]},
        tie_word_embeddings=fixture_cfg["tie_word_embeddings"],
        attention_bias=False,
        moe_layers=[],
        use_qk_norm=False,
        attn_temperature_tuning=False,
        no_rope_layers=no_rope_layers,
        attention_chunk_size=chunk,
        bos_token_id=fixture_cfg["bos_token_id"],
        eos_token_id=fixture_cfg["eos_token_id"],
        pad_token_id=None,
    )
    cfg._attn_implementation = "eager"
    model = Llama4ForCausalLM(cfg).to(torch.float32).eval()
    assert model.config._attn_implementation == "eager"
    assert model.model.layers[0].self_attn.use_rope == bool(no_rope_layers[0])
    assert all(not layer.is_moe_layer and not hasattr(layer.self_attn, "qk_norm") for layer in model.model.layers)

    n_heads, n_kv = fixture_cfg["num_attention_heads"], fixture_cfg["num_key_value_heads"]

    def meta_order(w: torch.Tensor, heads: int) -> torch.Tensor:
        d = w.shape[0] // heads
        return w.reshape(heads, 2, d // 2, *w.shape[1:]).transpose(1, 2).reshape(w.shape)

    state = {}
    for name, t in weights.items():
        if name.endswith("self_attn.q_proj.weight"):
            t = meta_order(t, n_heads)
        elif name.endswith("self_attn.k_proj.weight"):
            t = meta_order(t, n_kv)
        state[name.replace(".mlp.", ".feed_forward.")] = t
    if "lm_head.weight" not in state:
        state["lm_head.weight"] = state["model.embed_tokens.weight"]
    model.load_state_dict(state, strict=True)
    assert torch.equal(model.lm_head.weight, weights.get("lm_head.weight", weights["model.embed_tokens.weight"]))
    return model


def llama_with_layout(folder: Path, layer_types: list[str], no_rope: list[bool], chunk: int):
    """The second construction, from transformers' LlamaForCausalLM: a forward pre-hook on each attention
    module swaps in that layer's own mask (a 4D additive float mask, eager attention adds it to the scores as
    it adds its causal mask) and, on NoPE layers, cos = 1 / sin = 0, which makes apply_rotary_pos_emb the
    identity. The chunked mask is written out here by hand: key j is visible from query i iff j <= i and
    j // chunk == i // chunk."""
    model = load_model(folder)
    n = 48
    i = torch.arange(n)[:, None]
    j = torch.arange(n)[None, :]
    allowed = {"full_attention": j <= i, "chunked_attention": (j <= i) & (j // chunk == i // chunk)}
    neg = torch.finfo(torch.float32).min

    def hook_for(layer_type: str, nope: bool):
        mask = torch.where(allowed[layer_type], 0.0, neg)[None, None]

        def hook(module, args, kwargs):
            assert kwargs["attention_mask"].shape[-2:] == (n, n), "expected one 48-token forward"
            kwargs["attention_mask"] = mask
            if nope:
                cos, sin = kwargs["position_embeddings"]
                kwargs["position_embeddings"] = (torch.ones_like(cos), torch.zeros_like(sin))
            return args, kwargs

        return hook

    for layer, layer_type, nope in zip(model.model.layers, layer_types, no_rope):
        layer.self_attn.register_forward_pre_hook(hook_for(layer_type, nope), with_kwargs=True)
    return model


def chunked_nope_golden(fixtures: Path, out: Path) -> None:
    """llama-chunked-nope: transformers has chunked attention and NoPE layers only in Llama 4, whose real
    models add MoE, an L2 QK-norm and attention temperature tuning that Hearth does not implement. Each of
    those is a config switch, so the oracle is Llama4ForCausalLM with all three off (llama4_dense()), which
    then computes exactly a dense Llama with chunked layers and NoPE layers. Three checks before writing:
      1. Llama4 with both features off (every layer RoPE, chunk >= the text) equals LlamaForCausalLM on
         hf/llama-f32: the weight mapping and the RoPE layout conversion are right.
      2. Llama4 with the features on equals llama_with_layout() (LlamaForCausalLM plus a per-layer 4D mask and
         identity RoPE on the NoPE layers): two constructions from different transformers code agree.
      3. Each feature matters (chunking off, or RoPE on in the NoPE layer, moves the logits).
    """
    from safetensors.torch import load_file

    folder = fixtures / "hf" / "llama-chunked-nope-f32"
    fixture_cfg = json.loads((folder / "config.json").read_text())
    weights = load_file(str(folder / "model.safetensors"))
    no_rope_layers = fixture_cfg["no_rope_layers"]
    chunk = fixture_cfg["attention_chunk_size"]
    tokens = tiny_tokens()
    assert 0 in no_rope_layers and 1 in no_rope_layers and len(tokens) > 2 * chunk

    model = llama4_dense(weights, fixture_cfg, no_rope_layers, chunk)
    layer_types = model.config.layer_types
    print(f"  llama4 layout: layer_types {layer_types}, no_rope_layers {no_rope_layers}, chunk {chunk}")
    assert layer_types == ["chunked_attention" if r else "full_attention" for r in no_rope_layers]
    logits = forward_logits(model, tokens)

    plain = forward_logits(load_model(fixtures / "hf" / "llama-f32"), tokens)
    all_rope = [1] * len(no_rope_layers)
    same = relative_change(forward_logits(llama4_dense(weights, fixture_cfg, all_rope, 4096), tokens), plain)
    print(f"  check: dense Llama4 without the features vs LlamaForCausalLM on hf/llama-f32: {same:.3g}")
    assert same <= 1e-5, "the Llama4 construction does not reproduce the llama fixture"

    second = forward_logits(llama_with_layout(folder, layer_types, [not r for r in no_rope_layers], chunk), tokens)
    agree = relative_change(second, logits)
    print(f"  check: Llama4 vs LlamaForCausalLM with per-layer mask and identity RoPE: {agree:.3g}")
    assert agree <= 1e-5, "the two chunked/NoPE constructions disagree"

    require_effect("chunked attention", logits,
                   forward_logits(llama4_dense(weights, fixture_cfg, no_rope_layers, 4096), tokens))
    require_effect("the NoPE layer", logits,
                   forward_logits(llama_with_layout(folder, layer_types, [False] * len(layer_types), chunk),
                                  tokens))
    write_tiny(out / "tiny-llama-chunked-nope.json",
               {"model": "hf/llama-chunked-nope-f32",
                "oracle": "transformers Llama4ForCausalLM built dense (moe_layers=[], use_qk_norm=False, "
                          "attn_temperature_tuning=False) from the fixture's weights, eager; agrees with "
                          "LlamaForCausalLM plus a per-layer custom mask and identity RoPE on the NoPE layer"},
               tokens, logits)


def variant_golden(fixtures: Path, variant: str, out: Path) -> None:
    print(f"{variant}:")
    if variant.startswith("llama-rope-"):
        rope_scaling_golden(fixtures, variant, out)
    elif variant == "gemma3-softcap":
        softcap_golden(fixtures, out)
    elif variant == "llama-chunked-nope":
        chunked_nope_golden(fixtures, out)
    else:
        raise ValueError(variant)


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
    parser.add_argument("--models", type=Path, help="folder holding the real .gguf models (omit: tiny only)")
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
    for variant in TINY_VARIANTS:
        variant_golden(args.fixtures, variant, args.out)

    if args.models is None:
        print("no --models: the real-model goldens are left as they are")
    else:
        text = (REPO / TEXT_FILE).read_text(encoding="utf-8")
        for name in REAL_MODELS:
            real_golden(args.models.expanduser(), name, text, args.out)

    print(f"done in {time.time() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
