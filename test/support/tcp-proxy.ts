import net from 'node:net';

/** The bytes of a simple-protocol COMMIT as pg sends it ('Q', length, "COMMIT\0"). */
const COMMIT_QUERY = Buffer.from('COMMIT\0');

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

/**
 * A TCP proxy for fault tests, between the server and PostgreSQL on loopback. It forwards both
 * ways until told to kill every connection, to freeze (stop forwarding, keep the sockets open:
 * a database that does not answer), or to cut a connection when a COMMIT goes by, after or
 * before handing it on (a commit whose answer is lost, or a commit that never arrives).
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private frozen = false;
  private commitCut: { deliver: boolean; done: () => void } | null = null;

  private readonly server = net.createServer((client) => this.accept(client));
  private listeningPort = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.listeningPort = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** A postgres:// URL that goes through the proxy instead of to `url`'s host. */
  urlFor(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  private accept(client: net.Socket) {
    const upstream = net.connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => this.fromClient(pair, chunk));
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    if (this.frozen) {
      client.pause();
      upstream.pause();
    }
  }

  private fromClient(pair: Pair, chunk: Buffer) {
    const cut = this.commitCut;
    if (cut && chunk.includes(COMMIT_QUERY)) {
      this.commitCut = null;
      this.pairs.delete(pair);
      // handed on, then both ends closed: PostgreSQL commits, the answer never reaches the server
      if (cut.deliver) pair.upstream.end(chunk);
      else pair.upstream.destroy();
      pair.client.destroy();
      cut.done();
      return;
    }
    pair.upstream.write(chunk);
  }

  /** Closes every connection at once, as a database restart or a network reset would. */
  killConnections(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /** Stops forwarding: connections stay open, nothing gets through in either direction. */
  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    for (const { client, upstream } of this.pairs) {
      client.resume();
      upstream.resume();
    }
  }

  /** Cuts the connection that next sends a COMMIT; resolves once it did. */
  cutAtNextCommit(options: { deliver: boolean }): Promise<void> {
    return new Promise((resolve) => {
      this.commitCut = { deliver: options.deliver, done: resolve };
    });
  }

  async close(): Promise<void> {
    this.killConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
