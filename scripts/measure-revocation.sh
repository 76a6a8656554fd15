#!/usr/bin/env bash
# =============================================================================
# measure-revocation.sh - how long does an S3 gateway keep accepting an EC2 key
# after it was deleted in Keystone? Opt-in (takes ~5 min), not part of the tests.
#
# For every region of the local stack ($STACK_DIR/stack.json: Kna1 on Ceph RGW
# once rgw.sh ran, Sto2 on Swift s3api), at the same time:
#   mint a key for alice on proj-a, use it once (ListBuckets -> 200), delete it
#   in Keystone, then ListBuckets every 2 s until the gateway refuses it (or
#   MAX_WAIT s pass). Prints, per gateway, the last acceptance and the first
#   refusal, counted from the delete and from the key's first use.
# Measured with Debian ceph 16.2: RGW 296-298 s after the delete (300 s after the
# first use: its hard-coded secret cache), Swift s3api: refused at once.
#
# Usage: bash scripts/measure-revocation.sh      Env: STACK_DIR, MAX_WAIT=420
# No secret is printed.
# =============================================================================
set -euo pipefail
STACK_DIR=${STACK_DIR:-/tmp/openstack-stack}
MAX_WAIT=${MAX_WAIT:-420} STACK_DIR=$STACK_DIR exec /usr/bin/python3 - <<'PYEOF'
import json, os, threading, time, urllib.request
import boto3, botocore
from botocore.config import Config

stack = json.load(open(os.path.join(os.environ['STACK_DIR'], 'stack.json')))
max_wait = float(os.environ['MAX_WAIT'])
alice, proj = stack['users']['alice'], stack['projects']['proj-a']
ks = stack['auth_url']

def call(method, path, body=None, token=None):
    req = urllib.request.Request(ks + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={'content-type': 'application/json', **({'x-auth-token': token} if token else {})})
    with urllib.request.urlopen(req) as r:
        return r.headers, (json.load(r) if r.status != 204 else None)

hdrs, _ = call('POST', '/auth/tokens', {'auth': {'identity': {'methods': ['password'], 'password': {
    'user': {'id': alice['id'], 'password': alice['password']}}}, 'scope': {'project': {'id': proj}}}})
token = hdrs['x-subject-token']

def status(region, endpoint, cred):
    s3 = boto3.client('s3', endpoint_url=endpoint, region_name=region, aws_access_key_id=cred['access'],
                      aws_secret_access_key=cred['secret'],
                      config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
    try:
        s3.list_buckets()
        return '200'
    except botocore.exceptions.ClientError as e:
        return '%s %s' % (e.response['ResponseMetadata'].get('HTTPStatusCode'), e.response['Error'].get('Code'))

results = {}
def measure(region, info):
    ep, gw = info['s3_endpoint'], info.get('gateway', 'swift')
    cred = call('POST', '/users/%s/credentials/OS-EC2' % alice['id'], {'tenant_id': proj}, token)[1]['credential']
    try:
        t_first = time.monotonic()
        first = status(region, ep, cred)
        if first != '200':
            results[region] = '%s (%s %s): a fresh key is refused (%s): nothing to measure' % (region, gw, ep, first)
            return
        time.sleep(2)
        t_del = time.monotonic()
        call('DELETE', '/users/%s/credentials/OS-EC2/%s' % (alice['id'], cred['access']), token=token)
        last_ok = None
        while time.monotonic() - t_del < max_wait:
            r, t = status(region, ep, cred), time.monotonic()
            if r != '200':
                results[region] = ('%s (%s %s): deleted key %s; refused (%s) at +%.0f s after the delete = %.0f s after its first use'
                                   % (region, gw, ep, 'accepted until +%.0f s' % (last_ok - t_del) if last_ok else 'never accepted again',
                                      r, t - t_del, t - t_first))
                return
            last_ok = t
            time.sleep(2)
        results[region] = '%s (%s %s): deleted key still accepted %.0f s after the delete' % (region, gw, ep, max_wait)
    finally:
        try:
            call('DELETE', '/users/%s/credentials/OS-EC2/%s' % (alice['id'], cred['access']), token=token)
        except urllib.error.HTTPError:
            pass   # already deleted: the normal case

threads = [threading.Thread(target=measure, args=item) for item in stack['regions'].items()]
print('measuring %s (up to %.0f s)...' % (', '.join(stack['regions']), max_wait), flush=True)
for t in threads: t.start()
for t in threads: t.join()
for region in stack['regions']:
    print(results.get(region, '%s: no result (see the error above)' % region))
PYEOF
