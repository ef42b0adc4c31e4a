package io.vk4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.vk4j.testkit.tls.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared server: TLS policy, client certificates, the connection limit, timeouts. */
class HttpsServerTest {

  private final SelfSignedCertificates.Issued serving =
      SelfSignedCertificates.issue("vk4j-test", List.of("localhost"), List.of("127.0.0.1"));
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private HttpsServer server;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Answers every request with the subject of the client's certificate, or "anonymous". */
  private final HttpsServer.Application whoAmI = new HttpsServer.Application() {
    @Override
    public void addHandlers(ChannelPipeline pipeline, ConnectionTimeouts timeouts) {
      pipeline.addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
          timeouts.requestReceived();
          String who;
          try {
            who = ((X509Certificate) ctx.pipeline().get(SslHandler.class).engine().getSession()
                .getPeerCertificates()[0]).getSubjectX500Principal().getName();
          } catch (SSLPeerUnverifiedException e) {
            who = "anonymous";
          }
          FullHttpResponse response = text(HttpResponseStatus.OK, who);
          boolean keepAlive = HttpUtil.isKeepAlive(request);
          HttpUtil.setKeepAlive(response, keepAlive);
          ctx.writeAndFlush(response).addListener(keepAlive
              ? (ChannelFutureListener) f -> timeouts.answerSent() : ChannelFutureListener.CLOSE);
        }
      });
    }

    @Override
    public FullHttpResponse error(HttpResponseStatus status, String message) {
      return text(status, message);
    }
  };

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  private void start(ServerLimits.Builder limits, ServerTls tls) throws IOException {
    server = HttpsServer.start("vk4j-test", limits.bindAddress("127.0.0.1").port(0).build(), tls, whoAmI);
  }

  @Test
  void offersOnlyAeadSuitesOfTls12And13() throws Exception {
    ServerTls tls = ServerTls.serving(new ReloadingKeyManager(serving.serving()));
    assertThat(tls.cipherSuites()).isNotEmpty().allSatisfy(suite -> assertThat(suite)
        .matches("TLS_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+|TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"));
    start(ServerLimits.builder(), tls);

    SSLContext client = TestTls.trusting(serving.ca());
    try (SSLSocket cbcOnly = socket(client)) {
      cbcOnly.setEnabledProtocols(new String[] {"TLSv1.2"});
      cbcOnly.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"});
      assertThatThrownBy(cbcOnly::startHandshake).isInstanceOf(SSLHandshakeException.class);
    }
    try (SSLSocket tls12 = socket(client)) {
      tls12.setEnabledProtocols(new String[] {"TLSv1.2"});
      tls12.startHandshake();
      assertThat(tls12.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }
  }

  @Test
  void asksForAClientCertificateButLetsTheApplicationJudgeIt() throws Exception {
    SelfSignedCertificates.Issued clientCa = SelfSignedCertificates.issue("client-ca", List.of(), List.of());
    start(ServerLimits.builder(), ServerTls.requestingClientCertificates(
        new ReloadingKeyManager(serving.serving()), () -> List.of(clientCa.ca())));

    assertThat(get(TestTls.trusting(serving.ca()))).endsWith("anonymous");
    SelfSignedCertificates.Issued other = SelfSignedCertificates.issue("system:admin", List.of(), List.of());
    assertThat(get(TestTls.trusting(serving.ca(), other.serving().key(), List.of(other.serving().leaf()))))
        .as("a certificate from another CA still reaches the application, which refuses it")
        .endsWith("CN=system:admin");
  }

  @Test
  void pastTheConnectionLimitAClientIsToldWhyAndLetGo() throws Exception {
    start(ServerLimits.builder().maxConnections(2), ServerTls.serving(new ReloadingKeyManager(serving.serving())));
    SSLContext client = TestTls.trusting(serving.ca());
    handshaken(client);
    handshaken(client);
    await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections() == 2);

    assertThat(get(client)).startsWith("HTTP/1.1 503").contains("too many connections").contains("2 at most");
  }

  @Test
  void aConnectionThatNeverHandshakesOrSendsIsClosed() throws Exception {
    start(ServerLimits.builder().handshakeTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ofMillis(300)),
        ServerTls.serving(new ReloadingKeyManager(serving.serving())));
    java.net.Socket raw = new java.net.Socket("127.0.0.1", server.port());
    toClose.add(raw);
    raw.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00}); // 4 bytes of a ClientHello
    SSLSocket idle = handshaken(TestTls.trusting(serving.ca()));

    await().atMost(Duration.ofSeconds(30)).until(() -> closedByServer(raw) && closedByServer(idle));
    await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections() == 0);
  }

  private String get(SSLContext client) throws IOException {
    SSLSocket socket = socket(client);
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private SSLSocket socket(SSLContext client) throws IOException {
    SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port());
    toClose.add(socket);
    return socket;
  }

  private SSLSocket handshaken(SSLContext client) throws IOException {
    SSLSocket socket = socket(client);
    socket.startHandshake();
    return socket;
  }

  private static boolean closedByServer(java.net.Socket socket) throws IOException {
    socket.setSoTimeout(200);
    InputStream in = socket.getInputStream();
    try {
      byte[] buffer = new byte[4096];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        // whatever was sent before the close
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
