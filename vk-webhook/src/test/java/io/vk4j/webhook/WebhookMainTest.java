package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookMainTest {

  @Test
  void helpListsTheFlags() {
    String help = captureOut(() -> assertThat(WebhookMain.run("--help")).isZero());
    assertThat(help).contains("--port", "--tls-cert-file", "--tls-key-file", "--self-signed", "--webhook-config-name",
        "--service-name", "--service-namespace", "--config", "--kubeconfig", "--log-level");
  }

  @Test
  void certificatesMustBeChosen() {
    assertThat(WebhookMain.run()).isEqualTo(2);
    assertThat(WebhookMain.run("--self-signed", "--tls-cert-file", "a.crt", "--tls-key-file", "a.key")).isEqualTo(2);
    assertThat(WebhookMain.run("--tls-cert-file", "a.crt")).isEqualTo(2);
  }

  @Test
  void anInvalidRulesFileStopsTheStartWithItsReason(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(rules, "rules: [{mode: sometimes}]\n");
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """);
    String err = captureErr(() -> assertThat(WebhookMain.run("--self-signed", "--port", "0",
        "--config", rules.toString(), "--kubeconfig", kubeconfig.toString())).isEqualTo(1));
    assertThat(err).contains("rules[0] (rule-0): mode must be 'require' or 'prefer', not 'sometimes'");
  }

  private static String captureOut(Runnable action) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static String captureErr(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
