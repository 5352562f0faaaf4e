#!/bin/bash
# Device check on a CUDA GPU (one call, at most ~590 s): train the default recipe and the
# title_prev recipe with 6 seeds each, 12 processes at once; predict.py on cuda vs cpu
# (torch) and bf16 on cuda; the seed article on cuda; the ensembles of the 12 runs; then,
# if the time left allows, all layers trained (decay 0.8) and 4 epochs, 6 seeds each.
# Run from the repository root with .gpu/ beside it (reports/gpu.md says what it holds):
#   bash .gpu/run.sh        (SWEEP_END / END: seconds from start at which to stop)
# Outputs under $OUT (the device tool's folder; set it when running elsewhere).
# The pkill patterns name the sweep's output folders, never "train.py": the device tool's
# own shell command line can hold that string, and a pkill of it ended one call early.
set -u
T0=$(date +%s)
el() { echo $(( $(date +%s) - T0 )); }
log() { echo "[$(el)s] $*"; }
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
if [ -z "${LOCAL:-}" ]; then
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
  --target /tmp/site .gpu/whl/*.whl || exit 3
fi
export PYTHONPATH=/tmp/site:$PWD/src:$PWD
if ! python3 -c "import datasets" ; then
  log "datasets 5.2 does not import here; datasets 4.0"
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .gpu/whl_fallback/*.whl || exit 3
fi
python3 -c "import torch, transformers, datasets, sklearn, geostance, pyarrow; print('torch', torch.__version__, 'transformers', transformers.__version__, 'datasets', datasets.__version__, 'pyarrow', pyarrow.__version__, torch.cuda.is_available() and torch.cuda.get_device_name(), 'bf16', torch.cuda.is_available() and torch.cuda.is_bf16_supported())" || exit 4
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
echo "cpus $(nproc)"
[ -d /tmp/e5 ] || python3 .gpu/rebuild.py .gpu/e5-sparse.bin.xz /tmp/e5 || exit 5
log "rebuilt"
mkdir -p /tmp/cfg
echo "{}" > /tmp/cfg/gpu_prev.yaml
echo "model: {context: title_prev}" > /tmp/cfg/gpu_title_prev.yaml
cp configs/sweep/freeze_0_llrd.yaml /tmp/cfg/gpu_freeze_0_llrd.yaml
echo "train: {epochs: 4}" > /tmp/cfg/gpu_epochs_4.yaml
S=.gpu/shared
ARGS="--model.base /tmp/e5 --train.baseline false --train.threads 1 --data.realnews_dev $S/realnews_dev/sentences.jsonl --data.seed_article $S/seed/azerbaijan_nato_sv.txt --data.labels_spec $S/LABELS.md ${EXTRA:-}"
SEEDS=${SEEDS:-13 14 15 16 17 18}
t1=$(el)
timeout $(( ${SWEEP_END:-330} - t1 )) python3 -m geostance.evaluation sweep /tmp/cfg/gpu_prev.yaml \
  /tmp/cfg/gpu_title_prev.yaml --seeds $SEEDS --out /tmp/sweep --jobs ${JOBS:-12} \
  --train-args "$ARGS" --with-test --resamples 1000 --report $OUT/sweep_device.md
log "sweep exit $?"; pkill -f -- "--train.output_dir /tmp/sweep" ; sleep 1
D1=$(( $(el) - t1 ))
(cd /tmp && tar czf $OUT/runs.tgz --exclude='model' --exclude='checkpoints' sweep)
done_runs() { for d in /tmp/sweep/$1/*-s1[3-8]; do [ -f $d/COMPLETED ] && echo $d; done; }
P=$(done_runs gpu_prev); TP=$(done_runs gpu_title_prev)
log "finished: $(echo $P | wc -w) prev, $(echo $TP | wc -w) title_prev in $D1 s"
M=$(echo $P | cut -d' ' -f1)
if [ -n "$M" ]; then
  for v in "cuda none" "cpu none" "cuda bf16"; do set -- $v
    t=$(date +%s.%N)
    timeout 50 python3 predict.py .gpu/sents.jsonl --unit sentence --model $M --backend torch \
      --device $1 --quantize $2 --out /tmp/p_$1_$2.jsonl --no-progress --overwrite > /tmp/p_$1_$2.log 2>&1
    log "predict.py $1 $2: exit $? in $(python3 -c "import time;print(round(time.time()-$t,1))") s (3000 sentences, whole process)"
  done
  python3 .gpu/compare.py /tmp/p_cpu_none.jsonl /tmp/p_cuda_none.jsonl /tmp/p_cuda_bf16.jsonl
  timeout 40 python3 predict.py $S/seed/azerbaijan_nato_sv.txt --model $M --device cuda \
    --out $OUT/seed_cuda.jsonl --no-progress > /tmp/seed.log 2>&1; log "seed article exit $?"
fi
if [ -n "$P" ] && [ -n "$TP" ]; then
  timeout $(( ${END:-550} - $(el) )) python3 -m geostance.evaluation ensemble --group prev $P --group title_prev $TP \
    --out $OUT/ensemble_device.md > /tmp/ens.log 2>&1; log "ensemble exit $?"; tail -n 3 /tmp/ens.log
fi
mkdir -p /tmp/logs; cp /tmp/p_*.log /tmp/ens.log /tmp/seed.log /tmp/logs/ 2>/dev/null
(cd /tmp && tar czf $OUT/logs.tgz logs)
left=$(( ${END:-575} - $(el) ))
log "second sweep: $left s left, the first took $D1 s"
if [ $left -gt $(( D1 * 2 )) ]; then
  timeout $left python3 -m geostance.evaluation sweep /tmp/cfg/gpu_freeze_0_llrd.yaml \
    /tmp/cfg/gpu_epochs_4.yaml --seeds $SEEDS --out /tmp/sweep2 --jobs ${JOBS:-12} \
    --train-args "$ARGS" --with-test --resamples 200
  log "sweep2 exit $?"; pkill -f -- "--train.output_dir /tmp/sweep"; sleep 1
  (cd /tmp && tar czf $OUT/runs2.tgz --exclude='model' --exclude='checkpoints' sweep2)
fi
log "done"
