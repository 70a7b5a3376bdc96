import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Stops forwarding in both directions: the server looks alive (the connection stays) but never answers. */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

/** A proxy in front of one TCP server, to make it hang for one client only (a Redis outage seen by one process). */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const pairs: [net.Socket, net.Socket][] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    pairs.push([client, upstream]);
    if (frozen) { client.pause(); upstream.pause(); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      frozen = true;
      for (const [a, b] of pairs) { a.unpipe(b); b.unpipe(a); a.pause(); b.pause(); }
    },
    thaw() {
      frozen = false;
      for (const [a, b] of pairs) { a.pipe(b); b.pipe(a); }
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
