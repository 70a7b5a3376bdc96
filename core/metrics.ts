/**
 * A few counters exposed at GET /metrics in Prometheus text format. Kept tiny on purpose: labels are
 * fixed small sets (answer kinds, outcomes), so memory cannot grow with traffic.
 */
export interface Metrics {
  inc(name: string, labels?: Record<string, string>): void;
  render(): string;
}

export function createMetrics(): Metrics {
  const counters = new Map<string, number>();
  const key = (name: string, labels?: Record<string, string>): string =>
    labels && Object.keys(labels).length
      ? `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`
      : name;
  return {
    inc(name, labels) {
      const k = key(name, labels);
      counters.set(k, (counters.get(k) ?? 0) + 1);
    },
    render() {
      const lines = [...counters.entries()].sort().map(([k, v]) => `pingan_${k} ${v}`);
      lines.push(`pingan_process_resident_memory_bytes ${process.memoryUsage().rss}`);
      lines.push(`pingan_process_uptime_seconds ${Math.round(process.uptime())}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
