#!/usr/bin/env bash
# Seed corpora for the fuzz targets, written under OUT/{gguf,safetensors,hf_config}.
#
# Usage: tests/fuzz/make_seeds.sh OUT [TINY_MODELS_DIR]
#
# TINY_MODELS_DIR holds the generated tiny models (gguf/*.gguf, hf/<name>/...); by default the first of
# build/*/fixtures/models that exists, else tests/make_tiny_models.sh makes them in OUT/../tiny-models.
# Seeds are not committed: keep OUT in the build folder (build/fuzz/corpus).
#
# The tiny models are shrunk into valid files of a few KiB (each tensor cut to one block, data zeroed), so
# every seed fits -max_len=65536 and parses; the first 64 KiB of any real GGUF in ~/.cache/hearth/models
# (truncated, so invalid) and a few hand-written files that reach branches the tiny models do not are
# added beside them.
set -euo pipefail

prog=$(basename "$0")
die() { echo "$prog: error: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: $prog OUT [TINY_MODELS_DIR]"
here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
mkdir -p "$1"
out=$(cd "$1" && pwd -P)

models=${2:-}
if [ -z "$models" ]; then
    for d in "$root"/build/*/fixtures/models; do
        if [ -d "$d/gguf" ]; then models=$d; break; fi
    done
fi
if [ -z "$models" ]; then
    models="$(dirname "$out")/tiny-models"
    "$root/tests/make_tiny_models.sh" "$models"
fi
[ -d "$models/gguf" ] && [ -d "$models/hf" ] || die "$models has no gguf/ and hf/ folders"

mkdir -p "$out/gguf" "$out/safetensors" "$out/hf_config"

python3 - "$models" "$out" "${HOME:-/root}/.cache/hearth/models" <<'EOF'
import glob, hashlib, json, os, struct, sys

models, out, cache = sys.argv[1:4]

def put(kind, data, stem):
    name = f"{stem}-{hashlib.sha1(data).hexdigest()[:10]}"
    with open(os.path.join(out, kind, name), "wb") as f:
        f.write(data)

# ggml type id -> (elements per block, bytes per block), for the types the tiny models use and a few more.
GGML = {0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
        10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 30: (1, 2)}
FIXED = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}

def shrink_gguf(b, keep_tensors=True):
    """The same metadata, every tensor cut to one block of zeros; None if a type is not in GGML."""
    o = 24
    _, n_tensors, n_kv = struct.unpack_from("<IQQ", b, 4)
    def skip(t, o):
        if t in FIXED: return o + FIXED[t]
        if t == 8: return o + 8 + struct.unpack_from("<Q", b, o)[0]
        et, n = struct.unpack_from("<IQ", b, o); o += 12
        for _ in range(n): o = skip(et, o)
        return o
    alignment = 32
    for _ in range(n_kv):
        n, = struct.unpack_from("<Q", b, o); key = b[o + 8:o + 8 + n]; o += 8 + n
        t, = struct.unpack_from("<I", b, o); o += 4
        if key == b"general.alignment": alignment, = struct.unpack_from("<I", b, o)
        o = skip(t, o)
    kv = b[24:o]
    infos, data = b"", b""
    for _ in range(n_tensors if keep_tensors else 0):
        n, = struct.unpack_from("<Q", b, o); name = b[o + 8:o + 8 + n]; o += 8 + n
        n_dims, = struct.unpack_from("<I", b, o); o += 4 + 8 * n_dims
        t, = struct.unpack_from("<I", b, o); o += 4 + 8
        if t not in GGML: return None
        block, nbytes = GGML[t]
        offset = (len(data) + alignment - 1) // alignment * alignment
        data = data.ljust(offset, b"\0") + b"\0" * nbytes
        infos += struct.pack("<Q", len(name)) + name + struct.pack("<I", n_dims)
        infos += struct.pack(f"<{n_dims}Q", block, *([1] * (n_dims - 1))) + struct.pack("<IQ", t, offset)
    head = b"GGUF" + struct.pack("<IQQ", 3, n_tensors if keep_tensors else 0, n_kv) + kv + infos
    head = head.ljust((len(head) + alignment - 1) // alignment * alignment, b"\0")
    return head + data

def gguf_string(s): s = s.encode(); return struct.pack("<Q", len(s)) + s
def gguf_kv(key, t, payload): return gguf_string(key) + struct.pack("<I", t) + payload

for path in sorted(glob.glob(os.path.join(models, "gguf", "*.gguf"))):
    b = open(path, "rb").read()
    stem = os.path.basename(path)[:-5]
    for keep in (True, False):
        s = shrink_gguf(b, keep)
        if s: put("gguf", s, stem + ("" if keep else "-no-tensors"))
for path in sorted(glob.glob(os.path.join(cache, "*.gguf"))):
    with open(path, "rb") as f: put("gguf", f.read(65536), "head-" + os.path.basename(path)[:-5])

# Hand-written: keys the tiny models lack (sliding-window pattern array, alignment, a per-layer array,
# nested arrays, MoE counts) and one Q4_K tensor.
kvs = [
    gguf_kv("general.architecture", 8, gguf_string("gemma3")),
    gguf_kv("general.alignment", 4, struct.pack("<I", 64)),
    gguf_kv("gemma3.block_count", 4, struct.pack("<I", 3)),
    gguf_kv("gemma3.embedding_length", 10, struct.pack("<Q", 256)),
    gguf_kv("gemma3.attention.head_count", 9, struct.pack("<IQ", 5, 3) + struct.pack("<3i", 4, 8, 4)),
    gguf_kv("gemma3.attention.sliding_window", 4, struct.pack("<I", 512)),
    gguf_kv("gemma3.attention.sliding_window_pattern", 9, struct.pack("<IQ", 7, 3) + b"\1\1\0"),
    gguf_kv("gemma3.rope.freq_base_swa", 6, struct.pack("<f", 10000.0)),
    gguf_kv("gemma3.expert_count", 4, struct.pack("<I", 8)),
    gguf_kv("gemma3.expert_used_count", 4, struct.pack("<I", 2)),
    gguf_kv("gemma3.rope.scaling.type", 8, gguf_string("yarn")),
    gguf_kv("gemma3.rope.scaling.factor", 12, struct.pack("<d", 4.0)),
    gguf_kv("general.file_type", 4, struct.pack("<I", 15)),
    gguf_kv("tokenizer.ggml.model", 8, gguf_string("gpt2")),
    gguf_kv("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 2) + gguf_string("a") + gguf_string("b")),
    gguf_kv("tokenizer.ggml.merges", 9, struct.pack("<IQ", 9, 1) + struct.pack("<IQ", 0, 2) + b"\1\2"),
    gguf_kv("tokenizer.ggml.add_bos_token", 7, b"\1"),
    gguf_kv("tokenizer.ggml.eos_token_id", 5, struct.pack("<i", 1)),
]
info = gguf_string("token_embd.weight") + struct.pack("<I2QIQ", 2, 256, 2, 12, 0)
head = b"GGUF" + struct.pack("<IQQ", 3, 1, len(kvs)) + b"".join(kvs) + info
head = head.ljust((len(head) + 63) // 64 * 64, b"\0")
put("gguf", head + b"\0" * 288, "hand-gemma3-q4_k")
put("gguf", b"GGUF" + struct.pack("<IQQ", 2, 0, 1) + gguf_kv("general.architecture", 8, gguf_string("llama")),
    "hand-v2-minimal")

def shrink_safetensors(b):
    n, = struct.unpack_from("<Q", b, 0)
    header = json.loads(b[8:8 + n])
    size = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1,
            "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1}
    offset = 0
    for name, t in header.items():
        if name == "__metadata__": continue
        t["shape"] = [1] * len(t["shape"])
        t["data_offsets"] = [offset, offset + size[t["dtype"]]]
        offset += size[t["dtype"]]
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + b"\0" * offset

for path in sorted(glob.glob(os.path.join(models, "hf", "*", "*.safetensors"))):
    stem = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)[:-12]
    put("safetensors", shrink_safetensors(open(path, "rb").read()), stem)
hand = {"__metadata__": {"format": "pt"},
        "a": {"dtype": "F8_E4M3", "shape": [2, 2], "data_offsets": [0, 4]},
        "g_idx": {"dtype": "I32", "shape": [0], "data_offsets": [4, 4]},
        "b": {"dtype": "BOOL", "shape": [], "data_offsets": [4, 5]}}
text = json.dumps(hand).encode()
put("safetensors", struct.pack("<Q", len(text)) + text + b"\0" * 5, "hand-mixed")

for path in sorted(glob.glob(os.path.join(models, "hf", "*", "*.json"))):
    put("hf_config", open(path, "rb").read(), os.path.basename(path)[:-5])
hand_configs = {
    "gemma3-multimodal": {"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
        "text_config": {"model_type": "gemma3_text", "hidden_size": 64, "num_hidden_layers": 6,
                        "num_attention_heads": 4, "num_key_value_heads": 1, "sliding_window": 512,
                        "sliding_window_pattern": 6, "rope_scaling": {"rope_type": "linear", "factor": 8.0},
                        "query_pre_attn_scalar": 256, "final_logit_softcapping": 30.0}, "torch_dtype": "bfloat16"},
    "llama4-chunked-moe": {"model_type": "llama4_text", "hidden_size": 64, "num_hidden_layers": 2,
        "num_attention_heads": 4, "attention_chunk_size": 8192, "no_rope_layers": [1, 0],
        "num_local_experts": 16, "num_experts_per_tok": 1, "intermediate_size_mlp": 128,
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                         "original_max_position_embeddings": 8192}},
    "qwen2-moe-gptq": {"model_type": "qwen2_moe", "hidden_size": 64, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_experts": 8, "moe_intermediate_size": 32,
        "shared_expert_intermediate_size": 64, "use_sliding_window": False, "sliding_window": 4096,
        "quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 128, "desc_act": False,
                                "sym": True, "checkpoint_format": "gptq"}},
    "awq": {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 1,
        "quantization_config": {"quant_method": "awq", "w_bit": 4, "q_group_size": 128, "zero_point": True,
                                "version": "gemm", "modules_to_not_convert": ["lm_head"]}},
    "bnb": {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 1,
        "quantization_config": {"quant_method": "bitsandbytes", "load_in_4bit": True,
                                "bnb_4bit_quant_type": "nf4", "llm_int8_skip_modules": ["lm_head"]}},
    "fp8": {"model_type": "deepseek_v3", "hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 1,
        "n_routed_experts": 8, "n_shared_experts": 1, "dtype": "bfloat16",
        "quantization_config": {"quant_method": "fp8", "fmt": "e4m3", "weight_block_size": [128, 128]}},
    "compressed": {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 1,
        "compression_config": {"quant_method": "compressed-tensors", "bits": 8, "group_size": 0}},
    "generation-eos-list": {"temperature": 0.6, "top_p": 0.9, "top_k": 20, "repetition_penalty": 1.05,
        "eos_token_id": [1, 106]},
}
for stem, cfg in hand_configs.items():
    put("hf_config", json.dumps(cfg).encode(), "hand-" + stem)
EOF

for kind in gguf safetensors hf_config; do
    echo "$prog: $(ls "$out/$kind" | wc -l) seeds in $out/$kind" >&2
done
