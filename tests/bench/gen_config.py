#!/usr/bin/env python3
"""gen_config.py N OUT - writes a realistic, valid tuskform configuration
with N functions, shaped like the five source documents in
shared/source-doc/ (serverless_architecture, event_driven_serverless,
cold_start_optimization, serverless_monitoring, debug) and completed the
way examples/serverless/ completes them, with provider = "local":

- serverless_architecture: service defaults (tags, `expected` usage), N
  functions (handler, events, memory, timeout, environment; half with
  their own `expected` usage, some with reserved concurrency, sensitive
  keys, their own architecture, or provisioned concurrency switched off),
  every event source they name (http, s3, sqs, dynamodb, eventbridge,
  kinesis and a nightly batch schedule), the JWT authorizer the http event
  names, and pre-warming switched off for the batch-like functions;
- event_driven_serverless: N/4 rules, each targeting one handler and two
  functions (every target resolves), and N/20 handlers (each deployed as a
  function of its own) with retry policies and the dead-letter queue;
- cold_start_optimization: the three strategies, with provisioned
  concurrency (2) within keep_warm max_instances (20) and within every
  reserved_concurrency;
- serverless_monitoring: metrics, tracing, cost with budget alerts and a
  budget per 100 functions;
- debug.

OUT ending in ".tsk" is one file holding all five families; otherwise OUT is
a folder that receives the five files under their source-document names.
The output is deterministic (no randomness, no clock). N = 10000 gives
about 2.9 MB; `tuskform validate` accepts it without errors or warnings.
"""
import os
import sys

EVENT_TYPES = ["http", "s3", "sqs", "dynamodb", "eventbridge", "kinesis"]
MEMORY = [128, 256, 512, 1024, 2048, 4096]
BACKOFF = ["exponential", "linear", "fixed"]


def is_batch(i):
    """A batch-like function: nightly trigger, no warm instances."""
    return i % 11 == 5


def architecture(n):
    out = ['# serverless-architecture.tsk (generated: %d functions)' % n,
           '$stage = @env("STAGE", "production")',
           '[serverless_architecture]',
           'provider = "local"',
           'service = "bench"',
           'runtime = "php:8.4"',
           'region = @env("AWS_REGION", "us-east-1")',
           'memory_size = 512',
           'timeout = 30',
           'architecture = "arm64"',
           'tags = { team = "platform", cost_center = "bench" }',
           '# usage the cost estimate assumes unless a function says otherwise',
           'expected = { monthly_invocations = 100000, avg_duration_ms = 120 }',
           '',
           '[serverless_architecture.functions]']
    for i in range(n):
        ev = [EVENT_TYPES[(i + k) % len(EVENT_TYPES)] for k in range(1 + i % 3)]
        if is_batch(i):
            ev.append("batch")
        env = 'STAGE = $stage, TABLE = "table-%05d"' % i
        lines = ['fn_%05d = {' % i,
                 '    handler = "Fn%05dHandler::handle",' % i,
                 '    events = [%s],' % ", ".join('"%s"' % e for e in ev),
                 '    memory_size = %d,' % MEMORY[i % len(MEMORY)],
                 '    timeout = %d,' % (30 + (i % 10) * 30)]
        if i % 13 == 3:
            env += ', API_KEY = @env("API_KEY", "test-key-%05d")' % i
            lines.append('    sensitive = ["API_KEY"],')
        lines.append('    environment = { %s },' % env)
        if i % 7 == 2:
            lines.append('    reserved_concurrency = %d,' % (10 + i % 90))
        if is_batch(i):
            # a batch job: warm instances would sit idle
            lines += ['    architecture = "x86_64",',
                      '    provisioned_concurrency = 0,']
        if i % 2 == 0:
            # its own usage; the others assume the service's `expected`
            lines.append('    expected = { monthly_invocations = %d, '
                         'avg_duration_ms = %d },'
                         % (10000 * (1 + i % 200), 20 + (i * 37) % 900))
        lines[-1] = lines[-1].rstrip(',')
        out += lines + ['}', '']
    out += ['[serverless_architecture.events]',
            'http = { cors = true, authorizer = "cognito" }',
            's3 = { bucket = "bench-data-bucket", '
            'events = ["s3:ObjectCreated:*"] }',
            'sqs = { queue = "bench-order-queue", batch_size = 10 }',
            'dynamodb = { stream = "user-table-stream", batch_size = 100, '
            'starting_position = "LATEST" }',
            'eventbridge = { schedule = "rate(5 minutes)" }',
            'kinesis = { stream = "data-stream", batch_size = 1000, '
            'starting_position = "TRIM_HORIZON" }',
            'batch = { type = "schedule", schedule = "cron(0 2 * * ? *)" }',
            '',
            '[serverless_architecture.authorizers]',
            'cognito = {',
            '    type = "jwt",',
            '    issuer = "https://cognito-idp.us-east-1.amazonaws.com/'
            'us-east-1_BENCH",',
            '    audience = ["bench-web-client", "bench-mobile-client"]',
            '}',
            '',
            '[serverless_architecture.pre_warming]']
    out += ['fn_%05d = { enabled = false }' % i for i in range(n)
            if is_batch(i)]
    out.append('')
    return out


def handler_count(n):
    return max(1, n // 20)


def event_driven(n):
    nh = handler_count(n)
    out = ['# event-driven-serverless.tsk (generated: %d rules, %d handlers)'
           % ((n + 3) // 4, nh),
           '[event_driven_serverless]',
           'enabled = true',
           'event_bus = "bench-bus"',
           'dead_letter_queue = "bench-dlq"',
           '',
           '[event_driven_serverless.events]']
    for i in range(0, n, 4):
        # one handler and two functions; '-' and '_' are alike
        targets = ['"handler-%05d"' % ((i // 4) % nh),
                   '"fn-%05d"' % i,
                   '"fn_%05d"' % ((i + 1) % n)]
        out += ['event_%05d = {' % i,
                '    source = "service-%03d",' % (i % 997),
                '    detail_type = "Event%05d",' % i,
                '    targets = [%s]' % ", ".join(targets),
                '}',
                '']
    out += ['[event_driven_serverless.handlers]']
    for h in range(nh):
        lines = ['handler_%05d = {' % h,
                 '    function = "EventHandler%05d::handle",' % h]
        if h % 3 == 1:
            lines.append('    memory_size = 256,')
        lines += ['    retry_policy = { max_attempts = %d, backoff = "%s" }'
                  % (1 + h % 10, BACKOFF[h % 3]),
                  '}',
                  '']
        out += lines
    return out


def cold_start():
    return ['# cold-start-optimization.tsk: every function gets the',
            '# strategies unless it switches one off; provisioned instances',
            '# count against max_instances, so max_instances is the larger.',
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
            '    max_instances = 20',
            '}',
            '',
            'provisioned_concurrency = {',
            '    enabled = true,',
            '    concurrency = 2,',
            '    auto_scaling = true',
            '}',
            '',
            '[cold_start_optimization.optimization]',
            'code_optimization = true',
            'dependency_minimization = true',
            'layer_caching = true',
            'initialization_optimization = true',
            '']


def monitoring(n):
    out = ['# serverless-monitoring.tsk: monitoring with the budgets that',
           '# budget_alerts sends alerts for.',
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
           '',
           '[serverless_monitoring.budgets]',
           '# a budget named after its function, or naming it']
    for i in range(0, n, 100):
        if i % 200 == 0:
            out.append('fn_%05d = { amount = %d }' % (i, 1000 + i % 900))
        else:
            out.append('budget_%05d = { amount = %d, function = "fn_%05d" }'
                       % (i, 1000 + i % 900, i))
    out.append('')
    return out


def debug():
    return ['# debug-serverless.tsk: "verbose" is LOG_LEVEL=DEBUG in every',
            '# function.',
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
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.stderr.write("usage: gen_config.py N OUT_DIR_OR_FILE.tsk  (N >= 1)\n")
        return 64
    n, out = int(sys.argv[1]), sys.argv[2]
    files = [("serverless-architecture.tsk", architecture(n)),
             ("cold-start-optimization.tsk", cold_start()),
             ("debug-serverless.tsk", debug()),
             ("event-driven-serverless.tsk", event_driven(n)),
             ("serverless-monitoring.tsk", monitoring(n))]
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
