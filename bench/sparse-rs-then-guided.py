"""What Sparse-RS for the first N queries, then (where it failed) a fresh guided search with the rest of the
10,000, would give: computed image by image from two runs' results files, without running it. Both searches
are seeded per image, so the guided search's outcome within a smaller budget is its run's outcome when its
success came within that budget.

Usage: python3 bench/sparse-rs-then-guided.py bench/results/sparse-rs-pixels3-seed1.json \
           bench/results/guided-k3-seed1.json
(from bench/sparse-rs-cifar10.sh 1 and bench/guided-cifar10.sh k3 1, run from the repository root)."""
import json, sys
def load(p):
    d = json.load(open(p))
    return {im['id']: im['attempts'][0] for im in d['images'] if im['attempts']}
srs, gd = load(sys.argv[1]), load(sys.argv[2])
B = 10000
for n in [0, 250, 500, 1000, 2000, 10000]:
    ok = 0; qs = []; tot = 0
    for i in gd:
        s, g = srs[i], gd[i]
        if s['success'] and s['queries'] <= n:
            ok += 1; qs.append(s['queries']); tot += s['queries']; continue
        spent = min(n, s['queries'])
        rest = B - spent
        if g['success'] and g['queries'] <= rest:
            ok += 1; qs.append(spent + g['queries']); tot += spent + g['queries']
        else:
            tot += B if n < B else s['queries']
    qs.sort()
    print(f"sparse-rs first {n}: flipped {ok}, mean on success {sum(qs)/max(1,len(qs)):.0f}, median {qs[(len(qs)-1)//2] if qs else 0}, total {tot:,}")
