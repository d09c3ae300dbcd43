#!/usr/bin/env python3
"""gen_config.py N OUT - writes a realistic tuskform configuration with N
functions, shaped exactly like the five source documents in
shared/source-doc/ (serverless_architecture, event_driven_serverless,
cold_start_optimization, serverless_monitoring, debug), with
provider = "local".

OUT ending in ".tsk" is one file holding all five families; otherwise OUT is
a folder that receives the five files under their source-document names.
The output is deterministic (no randomness, no clock). N = 10000 gives
about 2.5 MB.
"""
import os
import sys

EVENT_TYPES = ["http", "s3", "sqs", "dynamodb", "eventbridge", "kinesis"]
MEMORY = [128, 256, 512, 1024, 2048, 4096]
STAGES = ["production", "staging", "development"]
BACKOFF = ["exponential", "linear"]


def architecture(n):
    out = ['# serverless-architecture.tsk (generated: %d functions)' % n,
           '$stage = @env("STAGE", "production")',
           '[serverless_architecture]',
           'provider = "local"',
           'runtime = "php:8.4"',
           'region = @env("AWS_REGION", "us-east-1")',
           'memory_size = 512',
           'timeout = 30',
           '',
           '[serverless_architecture.functions]']
    for i in range(n):
        ev = [EVENT_TYPES[(i + k) % len(EVENT_TYPES)] for k in range(1 + i % 3)]
        out += ['fn_%05d = {' % i,
                '    handler = "Fn%05dHandler::handle",' % i,
                '    events = [%s],' % ", ".join('"%s"' % e for e in ev),
                '    memory_size = %d,' % MEMORY[i % len(MEMORY)],
                '    timeout = %d,' % (30 + (i % 10) * 30),
                '    environment = { STAGE = $stage, TABLE = "table-%05d" }'
                % i,
                '}',
                '']
    out += ['[serverless_architecture.events]',
            'http = { cors = true, authorizer = "cognito" }',
            's3 = { bucket = "data-bucket", events = ["s3:ObjectCreated:*"] }',
            'sqs = { queue = "order-queue", batch_size = 10 }',
            'dynamodb = { stream = "user-table-stream", batch_size = 100 }',
            'eventbridge = { schedule = "rate(5 minutes)" }',
            'kinesis = { stream = "data-stream", batch_size = 1000 }',
            '']
    return out


def event_driven(n):
    out = ['# event-driven-serverless.tsk',
           '[event_driven_serverless]',
           'enabled = true',
           'event_bus = "default"',
           'dead_letter_queue = "dlq-serverless"',
           '',
           '[event_driven_serverless.events]']
    for i in range(0, n, 4):
        targets = ", ".join('"fn-%05d"' % ((i + k) % n) for k in range(3))
        out += ['event_%05d = {' % i,
                '    source = "service-%03d",' % (i % 997),
                '    detail_type = "Event%05d",' % i,
                '    targets = [%s]' % targets,
                '}',
                '']
    out += ['[event_driven_serverless.handlers]']
    for i in range(0, n, 4):
        out += ['handler_%05d = {' % i,
                '    function = "Fn%05dHandler::handle",' % i,
                '    retry_policy = { max_attempts = %d, backoff = "%s" }'
                % (1 + i % 10, BACKOFF[i % 2]),
                '}',
                '']
    return out


def cold_start():
    return ['# cold-start-optimization.tsk',
            '[cold_start_optimization]',
            'enabled = true',
            'pre_warming = true',
            'keep_warm = true',
            'provisioned_concurrency = true',
            '',
            '[cold_start_optimization.strategies]',
            'pre_warming = {',
            '    enabled = true,',
            '    interval = 300,',
            '    concurrency = 1',
            '}',
            '',
            'keep_warm = {',
            '    enabled = true,',
            '    min_instances = 1,',
            '    max_instances = 5',
            '}',
            '',
            'provisioned_concurrency = {',
            '    enabled = true,',
            '    concurrency = 10,',
            '    auto_scaling = true',
            '}',
            '',
            '[cold_start_optimization.optimization]',
            'code_optimization = true',
            'dependency_minimization = true',
            'layer_caching = true',
            'initialization_optimization = true',
            '']


def monitoring():
    return ['# serverless-monitoring.tsk',
            '[serverless_monitoring]',
            'enabled = true',
            'metrics_collection = true',
            'distributed_tracing = true',
            'cost_monitoring = true',
            '',
            '[serverless_monitoring.metrics]',
            'invocation_count = true',
            'duration = true',
            'error_rate = true',
            'memory_usage = true',
            'cold_starts = true',
            '',
            '[serverless_monitoring.tracing]',
            'provider = "xray"',
            'sampling_rate = 0.1',
            'trace_id_header = "X-Amzn-Trace-Id"',
            '',
            '[serverless_monitoring.cost]',
            'budget_alerts = true',
            'cost_optimization = true',
            'resource_rightsizing = true',
            '']


def debug():
    return ['# debug-serverless.tsk',
            '[debug]',
            'enabled = true',
            'log_level = "verbose"',
            'trace_invocations = true',
            '',
            '[debug.output]',
            'console = true',
            'cloudwatch = true',
            '']


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.stderr.write("usage: gen_config.py N OUT_DIR_OR_FILE.tsk\n")
        return 64
    n, out = int(sys.argv[1]), sys.argv[2]
    files = [("serverless-architecture.tsk", architecture(n)),
             ("cold-start-optimization.tsk", cold_start()),
             ("debug-serverless.tsk", debug()),
             ("event-driven-serverless.tsk", event_driven(n)),
             ("serverless-monitoring.tsk", monitoring())]
    if out.endswith(".tsk"):
        with open(out, "w") as f:
            for _, lines in files:
                f.write("\n".join(lines) + "\n")
    else:
        os.makedirs(out, exist_ok=True)
        for name, lines in files:
            with open(os.path.join(out, name), "w") as f:
                f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
