#!/usr/bin/env python3
"""Write tiny random-weight test models (Hugging Face safetensors and GGUF).

Usage:
    make_tiny_models.py OUTDIR                    write the models under OUTDIR
    make_tiny_models.py OUTDIR --write-checksums  ... and regenerate
                                                  tests/data/tiny_models.sha256

Normally run through tests/make_tiny_models.sh, which provides a virtual
environment with the pinned tests/requirements-fixtures.txt and checks the
result against tests/data/tiny_models.sha256. Never point OUTDIR into the
source tree.

Every architecture gets the same shape: hidden 64, 2 layers, vocab 256 (one
token per byte), 4 query heads, 2 KV heads, head_dim 16 (32 for gemma3),
intermediate 128, 2048 positions. Names and config keys follow Hugging Face
transformers (HF side) and llama.cpp's convert_hf_to_gguf.py (GGUF side), so
the loaders meet the same layout they will meet in real checkpoints.

Output (relative to OUTDIR):
    hf/<arch>-{f32,bf16,f16}/       config.json, generation_config.json,
                                    model.safetensors
    hf/llama-f32-sharded/           the same in two shards + index json
    hf/<variant>-f32/               a base architecture's weights under a
                                    config that switches on one feature
                                    (VARIANTS: RoPE scaling, soft-capping,
                                    chunked attention with NoPE layers)
    gguf/<arch>-{f32,f16,q8_0,q4_0}.gguf
    hf/seed-s{1,2,3,5}-*/           the load planner's seed cases (DESIGN.md
                                    S1-S5): a BF16 MoE with values beyond
                                    FP16's range, Llama 4-style chunked/NoPE
                                    attention, a bitsandbytes nf4 checkpoint,
                                    a GPTQ checkpoint with dense layers and an
                                    empty scale tensor (see SEED CASES below)

The output is byte-for-byte deterministic for a given set of pinned package
versions: fixed seeds, sorted JSON, no timestamps.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
import sys
from pathlib import Path

import numpy as np
import gguf
from safetensors.numpy import save as safetensors_save

ARCHS = ("llama", "qwen2", "qwen3", "gemma3")
# One seed per architecture, so every file of an architecture carries the
# same weights whatever its format or dtype.
SEEDS = {"llama": 1001, "qwen2": 1002, "qwen3": 1003, "gemma3": 1004}

HIDDEN = 64
LAYERS = 2
VOCAB = 256
HEADS = 4
KV_HEADS = 2
HEAD_DIM = 16
INTERMEDIATE = 128
MAX_POS = 2048
# Recorded in config.json only; any fixed string will do.
TRANSFORMERS_VERSION = "4.55.0"

# A short ChatML template; the tiny models are byte-level, so the markers are
# just text to them, but the chat code path gets exercised.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

CHECKSUM_LIST = Path(__file__).resolve().parent / "data" / "tiny_models.sha256"


# --------------------------------------------------------------------------
# Configs
# --------------------------------------------------------------------------

def hf_config(arch: str) -> dict:
    """config.json contents (without torch_dtype) as transformers writes them."""
    common = {
        "attention_dropout": 0.0,
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTERMEDIATE,
        "max_position_embeddings": MAX_POS,
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "num_key_value_heads": KV_HEADS,
        "rope_scaling": None,
        "transformers_version": TRANSFORMERS_VERSION,
        "use_cache": True,
        "vocab_size": VOCAB,
    }
    if arch == "llama":  # shaped after SmolLM2
        return common | {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "attention_bias": False,
            "bos_token_id": 1,
            "eos_token_id": 2,
            "head_dim": HEAD_DIM,
            "hidden_act": "silu",
            "mlp_bias": False,
            "pretraining_tp": 1,
            "rms_norm_eps": 1e-5,
            "rope_theta": 100000.0,
            "tie_word_embeddings": True,
        }
    if arch == "qwen2":  # Qwen2 has no head_dim key: it is hidden / heads
        return common | {
            "architectures": ["Qwen2ForCausalLM"],
            "model_type": "qwen2",
            "bos_token_id": 1,
            "eos_token_id": 2,
            "hidden_act": "silu",
            "max_window_layers": LAYERS,
            "rms_norm_eps": 1e-6,
            "rope_theta": 1000000.0,
            "sliding_window": None,
            "tie_word_embeddings": False,
            "use_sliding_window": False,
        }
    if arch == "qwen3":  # like Qwen3-0.6B: explicit head_dim, tied
        return common | {
            "architectures": ["Qwen3ForCausalLM"],
            "model_type": "qwen3",
            "attention_bias": False,
            "bos_token_id": 1,
            "eos_token_id": 2,
            "head_dim": HEAD_DIM,
            "hidden_act": "silu",
            "max_window_layers": LAYERS,
            "rms_norm_eps": 1e-6,
            "rope_theta": 1000000.0,
            "sliding_window": None,
            "tie_word_embeddings": True,
            "use_sliding_window": False,
        }
    if arch == "gemma3":  # like gemma-3-270m, one sliding and one full layer
        return common | {
            "architectures": ["Gemma3ForCausalLM"],
            "model_type": "gemma3_text",
            "_sliding_window_pattern": 2,
            "attention_bias": False,
            "attn_logit_softcapping": None,
            "bos_token_id": 2,
            "eos_token_id": 1,
            "final_logit_softcapping": None,
            "head_dim": 32,
            "hidden_activation": "gelu_pytorch_tanh",
            "layer_types": ["sliding_attention", "full_attention"],
            "pad_token_id": 0,
            # = head_dim, so the attention scale is the usual 1/sqrt(head_dim)
            # (what llama.cpp assumes for every Gemma 3 size but 27B).
            "query_pre_attn_scalar": 32,
            "rms_norm_eps": 1e-6,
            "rope_local_base_freq": 10000.0,
            "rope_theta": 1000000.0,
            "sliding_window": 8,
            "tie_word_embeddings": True,
            "use_bidirectional_attention": False,
        }
    raise ValueError(arch)


# Feature variants: (name, base architecture, config keys added to or
# replacing the base's). Same weights as the base (same seed); F32 Hugging
# Face folders only, since their oracle is transformers on the HF folder.
# The numbers are chosen so each feature changes the logits of the 48-token
# oracle text far beyond the test tolerance (tests/make_logits_golden.py
# checks that); they are not meant to look like any real model's.
VARIANTS = (
    # Every inv_freq divided by 4 (the legacy "type" key, as older configs
    # spell it).
    ("llama-rope-linear", "llama", {"rope_scaling": {"type": "linear", "factor": 4.0}}),
    # Llama 3.1's scheme with an original context (32) shorter than the
    # 48-token oracle text, so positions run past it. head_dim 16 at theta
    # 1e5 gives wavelengths 2*pi*10^(5j/8) = 6.3, 26.5, 112, 471, ... tokens;
    # with low/high_freq_factor 1/4 the bands are: wavelength < 32/4 = 8 kept
    # (j = 0), 8..32 smoothed between kept and divided (j = 1), > 32 divided
    # by the factor (j = 2..7). All three bands are exercised.
    ("llama-rope-llama3", "llama", {"rope_scaling": {
        "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
        "original_max_position_embeddings": 32}}),
    # Gemma 2-style soft-capping. The tiny gemma3's attention scores reach
    # about 3 and its logits about 14, so caps of 2 and 10 bend them hard
    # (Gemma 2 uses 50 and 30 against much larger values). transformers'
    # Gemma 3 ignores attn_logit_softcapping; see make_logits_golden.py.
    ("gemma3-softcap", "gemma3", {"attn_logit_softcapping": 2.0, "final_logit_softcapping": 10.0}),
    # Llama 4's iRoPE layout on the llama weights: layer 0 uses RoPE and
    # attends within non-overlapping chunks of 16 tokens, layer 1 has no RoPE
    # (NoPE) and attends to everything before it. Given the Llama 4 way,
    # no_rope_layers[i] = 1 where layer i uses RoPE, without layer_types:
    # readers derive chunked (RoPE) / full (NoPE) layers from it, as
    # transformers' Llama4TextConfig does.
    ("llama-chunked-nope", "llama", {"attention_chunk_size": 16, "no_rope_layers": [1, 0]}),
)


def generation_config(cfg: dict) -> dict:
    out = {
        "_from_model_config": True,
        "bos_token_id": cfg["bos_token_id"],
        "eos_token_id": cfg["eos_token_id"],
        "transformers_version": TRANSFORMERS_VERSION,
    }
    if "pad_token_id" in cfg:
        out["pad_token_id"] = cfg["pad_token_id"]
    return out


def head_dim(cfg: dict) -> int:
    return cfg.get("head_dim", cfg["hidden_size"] // cfg["num_attention_heads"])


# --------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------

def to_bf16_bits(x: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bit patterns (uint16), round to nearest even.

    Adding 0x7FFF plus the lowest kept bit before truncating rounds ties to
    even. No NaN handling: our weights are finite.
    """
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16_bits(b: np.ndarray) -> np.ndarray:
    return (b.astype(np.uint32) << 16).view(np.float32)


def master(rng: np.random.Generator, shape: tuple[int, ...], std: float, mean: float = 0.0) -> np.ndarray:
    """Random float32 values that F32, BF16 and F16 all store exactly.

    Rounding to bfloat16 leaves 8 significant bits; float16 holds those
    exactly as long as the value is a normal float16 (>= 2**-14), so smaller
    magnitudes are flushed to zero. The three dtype variants of a model then
    carry identical numbers and any difference in outputs comes from compute,
    not from the file.
    """
    x = rng.standard_normal(shape, dtype=np.float32) * np.float32(std) + np.float32(mean)
    x = from_bf16_bits(to_bf16_bits(x))
    x[np.abs(x) < 2.0**-14] = 0.0
    return x


def make_weights(arch: str, cfg: dict) -> dict[str, np.ndarray]:
    """HF-named tensors, generated in a fixed order from the arch's seed."""
    rng = np.random.default_rng(SEEDS[arch])
    hd = head_dim(cfg)
    q_out, kv_out = HEADS * hd, KV_HEADS * hd
    # Gemma stores norm weights as offsets from 1 (it computes x * (1 + w));
    # the others store the scale itself.
    norm_mean = 0.0 if arch == "gemma3" else 1.0

    def norm(n: int) -> np.ndarray:
        return master(rng, (n,), 0.1, norm_mean)

    def linear(out_f: int, in_f: int) -> np.ndarray:
        return master(rng, (out_f, in_f), in_f ** -0.5)

    w: dict[str, np.ndarray] = {}
    # Small enough that tied-embedding logits stay in a sane range.
    w["model.embed_tokens.weight"] = master(rng, (VOCAB, HIDDEN), 0.25)
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = norm(HIDDEN)
        w[p + "self_attn.q_proj.weight"] = linear(q_out, HIDDEN)
        w[p + "self_attn.k_proj.weight"] = linear(kv_out, HIDDEN)
        w[p + "self_attn.v_proj.weight"] = linear(kv_out, HIDDEN)
        if arch == "qwen2":
            w[p + "self_attn.q_proj.bias"] = master(rng, (q_out,), 0.1)
            w[p + "self_attn.k_proj.bias"] = master(rng, (kv_out,), 0.1)
            w[p + "self_attn.v_proj.bias"] = master(rng, (kv_out,), 0.1)
        w[p + "self_attn.o_proj.weight"] = linear(HIDDEN, q_out)
        if arch in ("qwen3", "gemma3"):
            w[p + "self_attn.q_norm.weight"] = norm(hd)
            w[p + "self_attn.k_norm.weight"] = norm(hd)
        w[p + "post_attention_layernorm.weight"] = norm(HIDDEN)
        if arch == "gemma3":
            w[p + "pre_feedforward_layernorm.weight"] = norm(HIDDEN)
            w[p + "post_feedforward_layernorm.weight"] = norm(HIDDEN)
        w[p + "mlp.gate_proj.weight"] = linear(INTERMEDIATE, HIDDEN)
        w[p + "mlp.up_proj.weight"] = linear(INTERMEDIATE, HIDDEN)
        w[p + "mlp.down_proj.weight"] = linear(HIDDEN, INTERMEDIATE)
    w["model.norm.weight"] = norm(HIDDEN)
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = linear(VOCAB, HIDDEN)
    return w


# --------------------------------------------------------------------------
# Writing helpers
# --------------------------------------------------------------------------

def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file and rename, so no half file keeps the real name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def json_bytes(obj: object) -> bytes:
    return (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode()


def safetensors_bf16(tensors: dict[str, np.ndarray]) -> bytes:
    """A safetensors file with BF16 tensors (numpy, and so the safetensors
    numpy API, has no bfloat16).

    Layout: u64 little-endian header length, JSON header mapping each name to
    dtype/shape/data_offsets (relative to the data section), then the data.
    The header is space-padded to a multiple of 8 as the reference writer
    does, so the data section stays aligned.
    """
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        raw = to_bf16_bits(tensors[name]).tobytes()
        header[name] = {
            "dtype": "BF16",
            "shape": list(tensors[name].shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    head += b" " * (-len(head) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


def write_hf(dirpath: Path, cfg: dict, weights: dict[str, np.ndarray], dtype: str) -> None:
    torch_dtype = {"f32": "float32", "bf16": "bfloat16", "f16": "float16"}[dtype]
    write_atomic(dirpath / "config.json", json_bytes(cfg | {"torch_dtype": torch_dtype}))
    write_atomic(dirpath / "generation_config.json", json_bytes(generation_config(cfg)))
    if dtype == "bf16":
        data = safetensors_bf16(weights)
    else:
        np_dtype = np.float32 if dtype == "f32" else np.float16
        data = safetensors_save({k: v.astype(np_dtype) for k, v in weights.items()},
                                metadata={"format": "pt"})
    write_atomic(dirpath / "model.safetensors", data)


def write_hf_sharded(dirpath: Path, cfg: dict, weights: dict[str, np.ndarray]) -> None:
    """F32, split the way transformers' save_pretrained does: shard files plus
    model.safetensors.index.json mapping each tensor to its shard."""
    write_atomic(dirpath / "config.json", json_bytes(cfg | {"torch_dtype": "float32"}))
    write_atomic(dirpath / "generation_config.json", json_bytes(generation_config(cfg)))
    # Layer 0 and the embedding in the first shard, the rest in the second:
    # a layer never spans shards here, but the loader must not assume order.
    first = {k: v for k, v in weights.items() if k.startswith(("model.embed_tokens.", "model.layers.0."))}
    second = {k: v for k, v in weights.items() if k not in first}
    names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    weight_map = {}
    for fname, part in zip(names, (first, second)):
        write_atomic(dirpath / fname, safetensors_save(part, metadata={"format": "pt"}))
        weight_map.update({k: fname for k in part})
    index = {
        "metadata": {"total_size": int(sum(v.nbytes for v in weights.values()))},
        "weight_map": dict(sorted(weight_map.items())),
    }
    write_atomic(dirpath / "model.safetensors.index.json", json_bytes(index))


# --------------------------------------------------------------------------
# GGUF
# --------------------------------------------------------------------------

def gpt2_byte_tokens() -> list[str]:
    """The 256 byte tokens in GPT-2's byte-to-unicode form.

    GPT-2 vocabularies never contain raw control/space bytes: printable
    Latin-1 bytes stand for themselves and every other byte b is shown as
    chr(256 + n), n counting those bytes in order. Token id = byte value.
    """
    printable = set(range(ord("!"), ord("~") + 1)) | set(range(0xA1, 0xAC + 1)) | set(range(0xAE, 0xFF + 1))
    tokens, n = [], 0
    for b in range(256):
        if b in printable:
            tokens.append(chr(b))
        else:
            tokens.append(chr(256 + n))
            n += 1
    return tokens


def llama_permute(w: np.ndarray, n_head: int) -> np.ndarray:
    """Undo Hugging Face's rotary reordering of Q/K rows, as llama.cpp's
    convert_hf_to_gguf.py does for the llama architecture.

    Meta's checkpoints rotate adjacent pairs (2i, 2i+1) of each head;
    transformers' conversion reordered each head's rows so that its
    rotate_half rotates (i, i + d/2) instead. llama.cpp's LLAMA rope works on
    adjacent pairs, so GGUF stores the original order: within each head, new
    row 2i+j is HF row j*d/2 + i. (qwen2/qwen3/gemma3 use NEOX-style rope in
    llama.cpp and are stored unpermuted.)
    """
    d = w.shape[0] // n_head
    return w.reshape(n_head, 2, d // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def gguf_tensors(arch: str, cfg: dict, weights: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray]]:
    """llama.cpp-named tensors in file order, HF shapes ([out, in]); the
    writer reverses them into ggml order (ne[0] = in)."""
    layer_map = {
        "input_layernorm.weight": "attn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight",
        "self_attn.q_proj.bias": "attn_q.bias",
        "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.k_proj.bias": "attn_k.bias",
        "self_attn.v_proj.weight": "attn_v.weight",
        "self_attn.v_proj.bias": "attn_v.bias",
        "self_attn.o_proj.weight": "attn_output.weight",
        "self_attn.q_norm.weight": "attn_q_norm.weight",
        "self_attn.k_norm.weight": "attn_k_norm.weight",
        # Without the gemma sandwich norms, the post-attention norm is the
        # one in front of the MLP: llama.cpp calls that ffn_norm.
        "post_attention_layernorm.weight":
            "post_attention_norm.weight" if arch == "gemma3" else "ffn_norm.weight",
        "pre_feedforward_layernorm.weight": "ffn_norm.weight",
        "post_feedforward_layernorm.weight": "post_ffw_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight",
        "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight",
    }
    out = []
    for name, t in weights.items():
        if name == "model.embed_tokens.weight":
            gname = "token_embd.weight"
        elif name == "model.norm.weight":
            gname = "output_norm.weight"
        elif name == "lm_head.weight":
            gname = "output.weight"
        else:
            _, _, layer, rest = name.split(".", 3)
            gname = f"blk.{layer}.{layer_map[rest]}"
        if arch == "llama" and gname.endswith("attn_q.weight"):
            t = llama_permute(t, cfg["num_attention_heads"])
        elif arch == "llama" and gname.endswith("attn_k.weight"):
            t = llama_permute(t, cfg["num_key_value_heads"])
        if arch == "gemma3" and gname.endswith("norm.weight"):
            # llama.cpp folds Gemma's (1 + w) into the stored weight so its
            # RMSNorm is the plain x * w: convert_hf_to_gguf adds 1 to every
            # norm weight (q_norm/k_norm included).
            t = t + np.float32(1.0)
        out.append((gname, t))
    # Keep the output head last, after output_norm, as llama.cpp files do.
    out.sort(key=lambda nt: nt[0] == "output.weight")
    return out


GGUF_TYPES = {
    "f32": (gguf.GGMLQuantizationType.F32, gguf.LlamaFileType.ALL_F32),
    "f16": (gguf.GGMLQuantizationType.F16, gguf.LlamaFileType.MOSTLY_F16),
    "q8_0": (gguf.GGMLQuantizationType.Q8_0, gguf.LlamaFileType.MOSTLY_Q8_0),
    "q4_0": (gguf.GGMLQuantizationType.Q4_0, gguf.LlamaFileType.MOSTLY_Q4_0),
}


def write_gguf(path: Path, arch: str, cfg: dict, weights: dict[str, np.ndarray], kind: str) -> None:
    qtype, ftype = GGUF_TYPES[kind]
    hd = head_dim(cfg)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    w = gguf.GGUFWriter(str(tmp), arch)  # writes general.architecture
    w.add_type("model")
    w.add_name(f"tiny-{arch}")
    w.add_file_type(int(ftype))
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    w.add_context_length(cfg["max_position_embeddings"])
    w.add_embedding_length(cfg["hidden_size"])
    w.add_block_count(cfg["num_hidden_layers"])
    w.add_feed_forward_length(cfg["intermediate_size"])
    w.add_head_count(cfg["num_attention_heads"])
    w.add_head_count_kv(cfg["num_key_value_heads"])
    w.add_key_length(hd)
    w.add_value_length(hd)
    w.add_rope_freq_base(cfg["rope_theta"])
    w.add_layer_norm_rms_eps(cfg["rms_norm_eps"])
    if arch == "llama":
        # convert_hf_to_gguf writes these two for llama (SmolLM2's file has them)
        w.add_vocab_size(cfg["vocab_size"])
        w.add_rope_dimension_count(hd)
    if arch == "gemma3":
        w.add_sliding_window(cfg["sliding_window"])
        # llama.cpp hard-codes Gemma 3's layer pattern (5 sliding : 1 full)
        # and local rope base (10000) instead of reading them. Our 2-layer
        # model does not follow that pattern, so record both with llama.cpp's
        # own key names; readers must still fall back to the hard-coded values
        # when these keys are absent (real Gemma 3 files lack them).
        w.add_sliding_window_pattern([t == "sliding_attention" for t in cfg["layer_types"]])
        w.add_rope_freq_base_swa(cfg["rope_local_base_freq"])

    # Minimal byte-level tokenizer. (llama.cpp itself also wants
    # tokenizer.ggml.merges for "gpt2", but GGUF cannot hold an empty array.)
    special = {cfg["bos_token_id"], cfg["eos_token_id"], cfg.get("pad_token_id", -1)}
    w.add_tokenizer_model("gpt2")
    w.add_token_list(gpt2_byte_tokens())
    w.add_token_types([gguf.TokenType.CONTROL if i in special else gguf.TokenType.NORMAL
                       for i in range(VOCAB)])
    w.add_bos_token_id(cfg["bos_token_id"])
    w.add_eos_token_id(cfg["eos_token_id"])
    if "pad_token_id" in cfg:
        w.add_pad_token_id(cfg["pad_token_id"])
    w.add_chat_template(CHAT_TEMPLATE)

    for name, t in gguf_tensors(arch, cfg, weights):
        if t.ndim == 1 or qtype == gguf.GGMLQuantizationType.F32:
            # Norms and biases stay F32 in every llama.cpp file type.
            w.add_tensor(name, t.astype(np.float32))
        elif qtype == gguf.GGMLQuantizationType.F16:
            w.add_tensor(name, t.astype(np.float16))
        else:
            w.add_tensor(name, gguf.quants.quantize(t, qtype), raw_dtype=qtype)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    os.replace(tmp, path)


# --------------------------------------------------------------------------

def generate(outdir: Path) -> list[Path]:
    written = []
    for arch in ARCHS:
        cfg = hf_config(arch)
        weights = make_weights(arch, cfg)
        for dtype in ("f32", "bf16", "f16"):
            d = outdir / "hf" / f"{arch}-{dtype}"
            write_hf(d, cfg, weights, dtype)
            written += sorted(d.iterdir())
        if arch == "llama":
            d = outdir / "hf" / "llama-f32-sharded"
            write_hf_sharded(d, cfg, weights)
            written += sorted(d.iterdir())
        for kind in GGUF_TYPES:
            p = outdir / "gguf" / f"{arch}-{kind}.gguf"
            write_gguf(p, arch, cfg, weights, kind)
            written.append(p)
    for name, base, keys in VARIANTS:
        cfg = hf_config(base) | keys
        d = outdir / "hf" / f"{name}-f32"
        write_hf(d, cfg, make_weights(base, cfg), "f32")
        written += sorted(d.iterdir())
    written += gen_seed_cases(outdir)
    return written


# --------------------------------------------------------------------------
# SEED CASES: checkpoints shaped like the field failures the load planner is
# built against (DESIGN.md S1-S5). Same tiny dimensions; their own seeds. The
# planner tests (tests/plan/test_seed_cases.cpp) read them; S4 (FP8 KV on a
# GQA Qwen2) uses the ordinary qwen2 models.
# --------------------------------------------------------------------------

SEED_CASE_SEEDS = {"s1": 2001, "s2": 2002, "s3": 2003, "s5": 2005}
FP16_MAX = 65504.0
# S1's planted values: tensor -> (flat index, value). Each is beyond FP16's
# range, in an expert, the router and a norm, all of which an f16 plan
# converts.
S1_PLANTED = {
    "model.layers.1.block_sparse_moe.experts.3.w2.weight": (5, 1.0e6),
    "model.layers.0.block_sparse_moe.gate.weight": (5, -3.0e5),
    "model.layers.1.input_layernorm.weight": (5, 1.0e5),
}
# bitsandbytes' NF4 code book (bitsandbytes/functional.py, get_4bit_type).
NF4_CODES = np.array([
    -1.0, -0.6961928009986877, -0.5250730514526489, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0], dtype=np.float32)


def safetensors_raw(tensors: dict[str, tuple[str, list[int], bytes]]) -> bytes:
    """A safetensors file from (dtype, shape, raw bytes) per tensor, in name
    order: for mixes numpy's writer cannot make (BF16 beside U8 and I32)."""
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        dtype, shape, raw = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    head += b" " * (-len(head) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


def bf16_entry(x: np.ndarray) -> tuple[str, list[int], bytes]:
    return "BF16", list(x.shape), to_bf16_bits(x).tobytes()


def seed_llama_weights(rng: np.random.Generator, layers: int, experts: int = 0) -> dict[str, np.ndarray]:
    """llama-block weights in transformers' names; with experts > 0, the MLP
    is a Mixtral-style sparse MoE (router `block_sparse_moe.gate`, experts
    w1/w3 up, w2 down)."""
    def linear(out_f: int, in_f: int) -> np.ndarray:
        return master(rng, (out_f, in_f), in_f ** -0.5)

    w: dict[str, np.ndarray] = {"model.embed_tokens.weight": master(rng, (VOCAB, HIDDEN), 0.25)}
    for i in range(layers):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = master(rng, (HIDDEN,), 0.1, 1.0)
        w[p + "self_attn.q_proj.weight"] = linear(HEADS * HEAD_DIM, HIDDEN)
        w[p + "self_attn.k_proj.weight"] = linear(KV_HEADS * HEAD_DIM, HIDDEN)
        w[p + "self_attn.v_proj.weight"] = linear(KV_HEADS * HEAD_DIM, HIDDEN)
        w[p + "self_attn.o_proj.weight"] = linear(HIDDEN, HEADS * HEAD_DIM)
        w[p + "post_attention_layernorm.weight"] = master(rng, (HIDDEN,), 0.1, 1.0)
        if experts:
            w[p + "block_sparse_moe.gate.weight"] = linear(experts, HIDDEN)
            for e in range(experts):
                x = f"{p}block_sparse_moe.experts.{e}."
                w[x + "w1.weight"] = linear(INTERMEDIATE, HIDDEN)
                w[x + "w3.weight"] = linear(INTERMEDIATE, HIDDEN)
                w[x + "w2.weight"] = linear(HIDDEN, INTERMEDIATE)
        else:
            w[p + "mlp.gate_proj.weight"] = linear(INTERMEDIATE, HIDDEN)
            w[p + "mlp.up_proj.weight"] = linear(INTERMEDIATE, HIDDEN)
            w[p + "mlp.down_proj.weight"] = linear(HIDDEN, INTERMEDIATE)
    w["model.norm.weight"] = master(rng, (HIDDEN,), 0.1, 1.0)
    w["lm_head.weight"] = linear(VOCAB, HIDDEN)
    return w


def nf4_quantize(x: np.ndarray) -> tuple[bytes, np.ndarray]:
    """bitsandbytes 4-bit NF4 of a weight, as Linear4bit saves it: blocks of 64
    consecutive values scaled by their absmax, each value the index of the
    nearest code, two per byte (first value in the high nibble)."""
    flat = x.reshape(-1, 64)
    absmax = np.abs(flat).max(axis=1).astype(np.float32)
    scaled = flat / np.where(absmax == 0, 1, absmax)[:, None]
    codes = np.abs(scaled[..., None] - NF4_CODES).argmin(axis=-1).astype(np.uint8).reshape(-1)
    packed = (codes[0::2] << 4) | codes[1::2]
    return packed.tobytes(), absmax


def gen_seed_cases(outdir: Path) -> list[Path]:
    written = []

    def emit(name: str, cfg: dict, tensors: dict[str, tuple[str, list[int], bytes]]) -> None:
        d = outdir / "hf" / name
        write_atomic(d / "config.json", json_bytes(cfg))
        write_atomic(d / "generation_config.json", json_bytes(generation_config(cfg)))
        write_atomic(d / "model.safetensors", safetensors_raw(tensors))
        written.extend(sorted(d.iterdir()))

    base = hf_config("llama") | {"tie_word_embeddings": False}

    # S1: a BF16 mixture-of-experts checkpoint (Mixtral layout, 4 experts, 2
    # per token) with values beyond FP16's range planted in an expert, the
    # router and a norm.
    w = seed_llama_weights(np.random.default_rng(SEED_CASE_SEEDS["s1"]), LAYERS, experts=4)
    for name, (index, value) in S1_PLANTED.items():
        w[name].reshape(-1)[index] = value
    cfg = base | {"architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "num_local_experts": 4,
                  "num_experts_per_tok": 2, "torch_dtype": "bfloat16"}
    emit("seed-s1-moe-bf16", cfg, {k: bf16_entry(v) for k, v in w.items()})

    # S2: Llama 4's attention layout on 8 layers: chunked local attention
    # (chunks of 4 tokens) with RoPE, except every fourth layer, which is
    # global and has no RoPE (no_rope_layers[i] == 0).
    w = seed_llama_weights(np.random.default_rng(SEED_CASE_SEEDS["s2"]), 8)
    cfg = base | {"num_hidden_layers": 8, "attention_chunk_size": 4,
                  "no_rope_layers": [0 if (i + 1) % 4 == 0 else 1 for i in range(8)], "torch_dtype": "float32"}
    emit("seed-s2-llama4-chunked-f32", cfg,
         {k: ("F32", list(v.shape), v.astype(np.float32).tobytes()) for k, v in w.items()})

    # S3: a pre-quantized bitsandbytes nf4 checkpoint as Linear4bit saves it:
    # each linear layer's weight packed (uint8, [n/2, 1]) with absmax,
    # quant_map and the packed quant_state; the rest BF16 (torch_dtype
    # bfloat16, so a V100 needs FP16 compute).
    w = seed_llama_weights(np.random.default_rng(SEED_CASE_SEEDS["s3"]), LAYERS)
    tensors = {}
    for name, v in w.items():
        if name.startswith("model.layers.") and name.endswith("_proj.weight"):
            packed, absmax = nf4_quantize(v)
            state = json.dumps({"quant_type": "nf4", "blocksize": 64, "dtype": "bfloat16",
                                "shape": list(v.shape)}, sort_keys=True).encode()
            tensors[name] = ("U8", [v.size // 2, 1], packed)
            tensors[name + ".absmax"] = ("F32", [absmax.size], absmax.tobytes())
            tensors[name + ".quant_map"] = ("F32", [16], NF4_CODES.tobytes())
            tensors[name + ".quant_state.bitsandbytes__nf4"] = ("U8", [len(state)], state)
        else:
            tensors[name] = bf16_entry(v)
    cfg = base | {"torch_dtype": "bfloat16", "quantization_config": {
        "quant_method": "bitsandbytes", "load_in_4bit": True, "load_in_8bit": False,
        "bnb_4bit_quant_type": "nf4", "bnb_4bit_compute_dtype": "bfloat16", "bnb_4bit_use_double_quant": False,
        "bnb_4bit_quant_storage": "uint8", "llm_int8_skip_modules": None}}
    emit("seed-s3-bnb-nf4", cfg, tensors)

    # S5: a GPTQ 4-bit Qwen2 checkpoint (AutoGPTQ layout: qweight [in/8, out],
    # qzeros [groups, out/8], scales [groups, out], g_idx [in]) whose lm_head,
    # a vision tower and a cross-attention projection stay dense F16, and
    # whose layer-1 o_proj scales tensor is empty ([0, 64]).
    rng = np.random.default_rng(SEED_CASE_SEEDS["s5"])
    w = seed_llama_weights(rng, LAYERS)
    for i in range(LAYERS):
        for b, n in (("q", HEADS * HEAD_DIM), ("k", KV_HEADS * HEAD_DIM), ("v", KV_HEADS * HEAD_DIM)):
            w[f"model.layers.{i}.self_attn.{b}_proj.bias"] = master(rng, (n,), 0.1)
    w["model.vision_tower.blocks.0.attn.qkv.weight"] = master(rng, (96, 32), 0.2)
    w["model.vision_tower.blocks.0.mlp.fc1.weight"] = master(rng, (64, 32), 0.2)
    w["model.layers.1.cross_attn.q_proj.weight"] = master(rng, (HIDDEN, HIDDEN), 0.1)
    tensors = {}
    group = 32
    for name, v in w.items():
        quantized = (name.startswith("model.layers.") and name.endswith("_proj.weight")
                     and "cross_attn" not in name)
        if not quantized:
            tensors[name] = ("F16", list(v.shape), v.astype(np.float16).tobytes())
            continue
        module = name[: -len(".weight")]
        out_f, in_f = v.shape
        groups = in_f // group
        qweight = rng.integers(0, 2**32, size=(in_f // 8, out_f), dtype=np.uint64).astype(np.uint32).view(np.int32)
        qzeros = np.full((groups, out_f // 8), 0x88888888, dtype=np.uint32).view(np.int32)
        scales = (np.abs(v).reshape(out_f, groups, group).max(axis=2).T / 7).astype(np.float16)
        if module == "model.layers.1.self_attn.o_proj":
            scales = np.zeros((0, out_f), dtype=np.float16)
        tensors[module + ".qweight"] = ("I32", list(qweight.shape), qweight.tobytes())
        tensors[module + ".qzeros"] = ("I32", list(qzeros.shape), qzeros.tobytes())
        tensors[module + ".scales"] = ("F16", list(scales.shape), scales.tobytes())
        g_idx = (np.arange(in_f) // group).astype(np.int32)
        tensors[module + ".g_idx"] = ("I32", [in_f], g_idx.tobytes())
    cfg = hf_config("qwen2") | {"tie_word_embeddings": False, "torch_dtype": "float16", "quantization_config": {
        "quant_method": "gptq", "bits": 4, "group_size": group, "desc_act": False, "sym": True,
        "checkpoint_format": "gptq", "damp_percent": 0.01}}
    emit("seed-s5-gptq-int4", cfg, tensors)
    return written


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--write-checksums", action="store_true",
                    help=f"also rewrite {CHECKSUM_LIST.relative_to(CHECKSUM_LIST.parents[2])}")
    args = ap.parse_args()

    outdir = args.outdir.resolve()
    # Generated models never belong in the source tree; an (ignored) build
    # folder inside the checkout, build/ or build-*/, is fine.
    src = Path(__file__).resolve().parents[1]
    if outdir == src or (src in outdir.parents
                         and not outdir.relative_to(src).parts[0].startswith("build")):
        print(f"make_tiny_models.py: refusing to write models into the source tree ({outdir})",
              file=sys.stderr)
        return 1

    written = generate(outdir)
    print(f"make_tiny_models.py: wrote {len(written)} files under {outdir}", file=sys.stderr)
    if args.write_checksums:
        rel = sorted(p.relative_to(outdir).as_posix() for p in written)
        lines = [f"{sha256(outdir / r)}  {r}\n" for r in rel]
        CHECKSUM_LIST.parent.mkdir(parents=True, exist_ok=True)
        CHECKSUM_LIST.write_text("".join(lines))
        print(f"make_tiny_models.py: wrote {CHECKSUM_LIST}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
