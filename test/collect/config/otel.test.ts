import { describe, expect, it } from 'vitest';
import type { OtlpFacts } from '../../../src/collect/config/config-facts.js';
import { recogniseFormat } from '../../../src/collect/registry.js';
import { factsOf, problemOf, sample } from './support.js';

const otlpSignals = (facts: OtlpFacts) =>
  Object.fromEntries(
    Object.entries(facts.signals).map(([s, refs]) => [
      s,
      refs.filter((r) => r.otlp).map((r) => r.name),
    ]),
  );

describe('OpenTelemetry Collector configuration', () => {
  it('the local example exports only to debug: no signal over OTLP', () => {
    const text = sample('otel-collector/local-otel-config.yaml');
    expect(recogniseFormat(text)?.meta.format).toBe('otel-collector');
    const facts = factsOf('otlp', text);
    expect(facts.signals.traces.map((r) => [r.name, r.otlp])).toEqual([['debug', false]]);
    expect(otlpSignals(facts)).toEqual({ traces: [], logs: [], metrics: [] });
  });

  it('Kubernetes manifests: configurations in ConfigMaps, located in the outer file', () => {
    const text = sample('otel-collector/k8s-otel-config.yaml');
    expect(recogniseFormat(text)?.meta.format).toBe('otel-collector');
    const facts = factsOf('otlp', text);
    expect(facts.signals.traces).toEqual([
      { name: 'otlp_grpc', otlp: true, line: 43, column: 23 },
      { name: 'otlp_grpc', otlp: true, line: 135, column: 23 },
    ]);
    expect(facts.signals.logs).toEqual([]);
  });

  const config = (pipelines: string, extra = ''): string => `receivers:
  otlp: { protocols: { grpc: {} } }
processors:
  batch: {}
exporters:
  otlphttp/backend: { endpoint: https://otel.example:4318 }
  debug: {}
  nop: {}
connectors:
  forward: {}
${extra}service:
  pipelines:
${pipelines}`;

  it('a signal reaches OTLP directly or through a forward connector; debug and nop do not count', () => {
    const text = config(`    traces:
      receivers: [otlp]
      exporters: [forward]
    traces/out:
      receivers: [forward]
      processors: [batch]
      exporters: [otlphttp/backend]
    metrics:
      receivers: [otlp]
      exporters: [debug, nop]
    logs:
      receivers: [otlp]
      exporters: [otlphttp/backend, debug]
`);
    expect(otlpSignals(factsOf('otlp', text))).toEqual({
      traces: ['otlphttp/backend'],
      logs: ['otlphttp/backend'],
      metrics: [],
    });
  });

  it('an exporter, receiver or processor that is not defined is a located error', () => {
    const text = config(`    traces:
      receivers: [otlp]
      processors: [batch, memory_limiter]
      exporters: [otlphttp/backend]
`);
    expect(problemOf(text)).toMatchObject({
      code: 'unresolved-reference',
      pointer: '/service/pipelines/traces/processors/1',
      line: 15,
    });
    const noExporter = config(
      '    traces:\n      receivers: [otlp]\n      exporters: [otlp/other]\n',
    );
    expect(problemOf(noExporter).message).toContain('exporter "otlp/other"');
  });

  it('an OpenTelemetryCollector of an unknown apiVersion is an error', () => {
    const text =
      'apiVersion: opentelemetry.io/v2\nkind: OpenTelemetryCollector\nmetadata: {name: x}\nspec: {config: {}}\n';
    expect(problemOf(text)).toMatchObject({ code: 'schema-violation', pointer: '/apiVersion' });
  });
});

describe('OpenTelemetry declarative configuration', () => {
  it.each([
    'otel-declarative-config/otel-sdk-config.yaml',
    'otel-declarative-config/otel-getting-started.yaml',
  ])('%s: OTLP/HTTP for traces, logs and metrics', (path) => {
    const text = sample(path);
    expect(recogniseFormat(text)?.meta.format).toBe('otel-sdk-config');
    expect(otlpSignals(factsOf('otlp', text))).toEqual({
      traces: ['otlp_http'],
      logs: ['otlp_http'],
      metrics: ['otlp_http'],
    });
  });

  it('disabled: true exports nothing; console does not count; unknown file_format is an error', () => {
    const text = sample('otel-declarative-config/otel-sdk-config.yaml');
    const off = text.replace('disabled: false', 'disabled: true');
    expect(otlpSignals(factsOf('otlp', off))).toEqual({ traces: [], logs: [], metrics: [] });
    const console =
      'file_format: "1.0"\ntracer_provider:\n  processors:\n    - simple:\n        exporter:\n          console: {}\n';
    expect(factsOf('otlp', console).signals.traces).toEqual([
      { name: 'console', otlp: false, line: 6, column: 11 },
    ]);
    expect(problemOf(text.replace('file_format: "1.1"', 'file_format: "2.0"'))).toMatchObject({
      code: 'schema-violation',
      pointer: '/file_format',
    });
  });
});

describe('OTEL_* variables in Kubernetes manifests', () => {
  const deployment = (env: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  template:
    spec:
      containers:
        - name: server
          image: todox/api:2.4.0
          env:
${env}`;

  it('an endpoint and the default exporter export every signal over OTLP', () => {
    const text = deployment(
      '            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: http://otel-collector:4317\n',
    );
    expect(recogniseFormat(text)?.meta.format).toBe('otel-env');
    expect(otlpSignals(factsOf('otlp', text))).toEqual({
      traces: ['api/server:otlp'],
      logs: ['api/server:otlp'],
      metrics: ['api/server:otlp'],
    });
  });

  it('none, console, no endpoint, OTEL_SDK_DISABLED do not count; valueFrom for an exporter is an error', () => {
    const env = `            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: http://otel-collector:4317
            - name: OTEL_LOGS_EXPORTER
              value: none
            - name: OTEL_METRICS_EXPORTER
              value: console
`;
    expect(otlpSignals(factsOf('otlp', deployment(env)))).toEqual({
      traces: ['api/server:otlp'],
      logs: [],
      metrics: [],
    });
    const noEndpoint = deployment(
      '            - name: OTEL_SERVICE_NAME\n              value: api\n',
    );
    expect(otlpSignals(factsOf('otlp', noEndpoint)).traces).toEqual([]);
    const disabled = deployment(
      `${env}            - name: OTEL_SDK_DISABLED\n              value: "true"\n`,
    );
    expect(otlpSignals(factsOf('otlp', disabled)).traces).toEqual([]);
    const from = deployment(`            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: http://otel-collector:4317
            - name: OTEL_TRACES_EXPORTER
              valueFrom: { configMapKeyRef: { name: otel, key: exporter } }
`);
    expect(problemOf(from)).toMatchObject({ code: 'unresolved-reference', line: 13 });
  });

  it('a workload of an unknown apiVersion is an error', () => {
    const text = deployment(
      '            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: http://c:4317\n',
    ).replace('apps/v1', 'apps/v1beta1');
    expect(problemOf(text, 'otel-env')).toMatchObject({
      code: 'schema-violation',
      pointer: '/apiVersion',
    });
  });
});
