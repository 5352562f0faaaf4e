"""Rebuild multilingual-e5-small from the sparse packed copy (as rebuild_builtin does)."""
import lzma, sys, tempfile
from pathlib import Path
import torch
from safetensors.torch import save_file
from transformers import BertConfig
from geostance.model.encoders import bert_state_dict, build_tokenizer, parse_packed

src, out = Path(sys.argv[1]), Path(sys.argv[2])
tmp = Path(tempfile.mkdtemp()) / "e5.bin"
tmp.write_bytes(lzma.decompress(src.read_bytes()))
pm = parse_packed(tmp)
config = BertConfig(vocab_size=pm.vocab, hidden_size=pm.hidden, num_hidden_layers=pm.layers,
                    num_attention_heads=pm.heads, intermediate_size=pm.ffn, hidden_act="gelu",
                    max_position_embeddings=pm.max_positions, type_vocab_size=pm.type_vocab,
                    layer_norm_eps=pm.eps, pad_token_id=pm.special["pad"],
                    architectures=["BertModel"])
out.mkdir(parents=True, exist_ok=True)
config.save_pretrained(out)
save_file({k: torch.from_numpy(v) for k, v in bert_state_dict(pm).items()},
          str(out / "model.safetensors"), metadata={"format": "pt"})
build_tokenizer(pm).save_pretrained(out)
print("rebuilt", out, sorted(p.name for p in out.iterdir()))
