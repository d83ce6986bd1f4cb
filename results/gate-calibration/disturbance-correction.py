#!/usr/bin/env python3
# Replay analysis, not a check: does a disturbance-corrected CPU ratio still show a slowdown in
# rounds the gate leaves out as disturbed? For each round, d = node-http's CPU/request over the
# baseline's (results/baseline.json, bb313a6). A/A rounds of the TRAIN records fit
# log(ratio/baseline) = -beta * log(d); the TEST records' disturbed rounds (d > 1.3) are then
# corrected by d**beta and their median per check and pass printed.
# usage: python3 disturbance-correction.py 'TRAIN/*.json' 'TEST/*.json'   (run from the repo root)
import json,glob,math,statistics as st,sys
base=json.load(open('results/baseline.json'))
B={c['cell']['scenario']:c for c in base['cells']}
def load(pattern):
    rows=[]
    for f in glob.glob(pattern):
        if 'summary' in f: continue
        d=json.load(open(f)); kind='slowed' if d.get('injectSlowdown') else 'aa'
        for p in ('first','confirmation'):
            for s in d['samples'][p]:
                sc=s['cell']['scenario']; b=B[sc]; ref=b['absolute']['referenceCpuUsPerRequest']
                for i in range(len(s['cpu'])):
                    rows.append((kind,sc,s['referenceCpuUs'][i]/ref,s['cpu'][i]/b['cpu']['median'],f.split('/')[-1],p))
    return rows
train=load(sys.argv[1]); test=load(sys.argv[2])
for sc in ('hello','static'):
    aa=[r for r in train if r[0]=='aa' and r[1]==sc and r[2]>1.0]
    beta=-sum(math.log(r[3])*math.log(r[2]) for r in aa)/sum(math.log(r[2])**2 for r in aa)
    print(sc,'beta(train)=%.2f'%beta)
    # per check/pass: median of corrected disturbed rounds
    groups={}
    for r in test:
        if r[1]==sc and r[2]>1.3: groups.setdefault((r[0],r[4],r[5]),[]).append(r[3]*r[2]**beta)
    for k in sorted(groups):
        print('   ',k[0],k[1],k[2],'n=%d'%len(groups[k]),'median corrected %+.1f%%'%((st.median(groups[k])-1)*100))
