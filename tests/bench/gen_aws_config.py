#!/usr/bin/env python3
"""gen_aws_config.py N ROLE_ARN OUT_DIR - the configuration of the AWS
refresh benchmark (tests/bench/run.sh, bench_aws): N functions on the `aws`
provider, each an aws_lambda_function and its aws_cloudwatch_log_group, with
the given execution role (so no IAM role per function) and the code folder
OUT_DIR/code. The functions vary the way gen_config.py's do (memory, timeout,
environment, architecture, some reserved concurrency, some sensitive keys),
but there are no event sources, rules or alarms: the benchmark measures the
refresh of N functions, not of the many resources the full generated
configuration gives each function. Deterministic (no randomness, no clock).
"""
import os
import sys

MEMORY = [128, 256, 512, 1024, 2048, 4096]


def config(n, role):
    out = ['# main.tsk (generated: %d functions on the aws provider)' % n,
           '[serverless_architecture]',
           'provider = "aws"',
           'service = "bench"',
           'runtime = "python:3.12"',
           'source = "code"',
           'role = "%s"' % role,
           'memory_size = 512',
           'timeout = 30',
           'architecture = "arm64"',
           'tags = { team = "platform", cost_center = "bench" }',
           '',
           '[serverless_architecture.functions]']
    for i in range(n):
        env = 'STAGE = "production", TABLE = "table-%05d"' % i
        lines = ['fn_%05d = {' % i,
                 '    handler = "app.handler",',
                 '    memory_size = %d,' % MEMORY[i % len(MEMORY)],
                 '    timeout = %d,' % (30 + (i % 10) * 30)]
        if i % 13 == 3:
            env += ', API_KEY = "test-key-%05d"' % i
            lines.append('    sensitive = ["API_KEY"],')
        lines.append('    environment = { %s },' % env)
        if i % 7 == 2:
            lines.append('    reserved_concurrency = %d,' % (1 + i % 9))
        if i % 11 == 5:
            lines.append('    architecture = "x86_64",')
        lines[-1] = lines[-1].rstrip(',')
        out += lines + ['}', '']
    return out


def main():
    if len(sys.argv) != 4 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: gen_aws_config.py N ROLE_ARN OUT_DIR")
    n, role, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(os.path.join(out, "code"), exist_ok=True)
    with open(os.path.join(out, "code", "app.py"), "w") as f:
        f.write("def handler(event, context):\n    return 1\n")
    with open(os.path.join(out, "main.tsk"), "w") as f:
        f.write("\n".join(config(n, role)) + "\n")


if __name__ == "__main__":
    main()
