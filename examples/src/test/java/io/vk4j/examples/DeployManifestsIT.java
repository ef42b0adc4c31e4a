package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapEnvSource;
import io.kubernetes.client.openapi.models.V1ConfigMapKeySelector;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import io.vk4j.testkit.tls.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The manifests of {@code examples/deploy} against the real API server. */
@ExtendWith(KubernetesClusterExtension.class)
class DeployManifestsIT {
  private static final Path DEPLOY = Path.of("deploy");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static List<Object> load(String file) throws Exception {
    return Yaml.loadAll(DEPLOY.resolve(file).toFile());
  }

  @Test
  void everyManifestIsAcceptedByTheApiServer(TestCluster cluster) throws Exception {
    ApiClient client = cluster.client();
    CoreV1Api core = new CoreV1Api(client);
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(client);
    AppsV1Api apps = new AppsV1Api(client);
    String demoNamespace = cluster.createNamespace("deploy-demo");

    int accepted = 0;
    for (String file : List.of("rbac.yaml", "eci-credentials.yaml", "statefulset.yaml", "demo/nginx.yaml")) {
      for (Object object : load(file)) {
        // dryRun=All: validated and admitted like a real apply, stored nowhere
        if (object instanceof V1ServiceAccount sa) {
          core.createNamespacedServiceAccount(sa.getMetadata().getNamespace(), sa).dryRun("All").execute();
        } else if (object instanceof V1ClusterRole role) {
          rbac.createClusterRole(role).dryRun("All").execute();
        } else if (object instanceof V1ClusterRoleBinding binding) {
          rbac.createClusterRoleBinding(binding).dryRun("All").execute();
        } else if (object instanceof V1Secret secret) {
          core.createNamespacedSecret(secret.getMetadata().getNamespace(), secret).dryRun("All").execute();
        } else if (object instanceof V1StatefulSet set) {
          apps.createNamespacedStatefulSet(set.getMetadata().getNamespace(), set).dryRun("All").execute();
        } else if (object instanceof V1Pod pod) {
          core.createNamespacedPod(demoNamespace, pod).dryRun("All").execute();
        } else {
          throw new AssertionError("unexpected object in " + file + ": " + object.getClass());
        }
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo(6);
  }

  @Test
  void statefulSetNamesEachNodeAfterItsPodAndCarriesTheEciSettings() throws Exception {
    V1StatefulSet set = (V1StatefulSet) load("statefulset.yaml").get(0);
    V1Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, V1EnvVar> env = container.getEnv().stream()
        .collect(java.util.stream.Collectors.toMap(V1EnvVar::getName, v -> v));

    assertThat(set.getMetadata().getName()).isEqualTo("virtual-node-eci");
    assertThat(set.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(env.get("VK_NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(env.get("VKUBELET_POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    assertThat(env).containsKeys("ECI_REGION", "ECI_SECURITY_GROUP", "ECI_VSWITCH", "ECI_KUBE_PROXY");
    assertThat(env.get("ECI_ACCESS_KEY").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("virtual-node-eci-credentials");
    assertThat(env.get("ECI_SECRET_KEY").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("virtual-node-eci-credentials");
    assertThat(container.getArgs()).containsExactly("--provider", "eci");
    assertThat(set.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("virtual-node-eci");
  }

  @Test
  void demoPodHasTheSeedsSelectorAndToleration() throws Exception {
    V1Pod pod = (V1Pod) load("demo/nginx.yaml").get(0);

    assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("type", "virtual-kubelet"));
    assertThat(pod.getSpec().getTolerations()).extracting(V1Toleration::getKey, V1Toleration::getOperator)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("virtual-kubelet.io/provider", "Exists"));
    assertThat(pod.getSpec().getNodeName()).isNull();
  }

  /**
   * A virtual node whose only rights are the ClusterRole of {@code rbac.yaml} registers, heartbeats,
   * runs a pod that reads a Secret and ConfigMaps, records Events, serves its log through the API
   * server and a bearer-token client (so it reviews tokens and access), completes a graceful
   * deletion, and never gets a 403.
   */
  @Test
  void theClusterRoleIsEnoughForTheRuntime(TestCluster cluster) throws Exception {
    ApiClient admin = cluster.client();
    CoreV1Api core = new CoreV1Api(admin);
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(admin);
    String namespace = cluster.createNamespace("deploy-rbac");
    String roleName = cluster.uniqueName("vk4j-virtual-node");
    String nodeName = cluster.uniqueName("vk-rbac");

    V1ClusterRole role = load("rbac.yaml").stream().filter(V1ClusterRole.class::isInstance)
        .map(V1ClusterRole.class::cast).findFirst().orElseThrow();
    role.getMetadata().name(roleName).resourceVersion(null);
    rbac.createClusterRole(role).execute();
    core.createNamespacedServiceAccount(namespace, new V1ServiceAccount().metadata(new V1ObjectMeta().name("vk")))
        .execute();
    rbac.createClusterRoleBinding(new V1ClusterRoleBinding()
        .metadata(new V1ObjectMeta().name(roleName))
        .roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("ClusterRole").name(roleName))
        .addSubjectsItem(new RbacV1Subject().kind("ServiceAccount").name("vk").namespace(namespace)))
        .execute();
    VirtualNode node = null;
    try {
      String token = core.createNamespacedServiceAccountToken("vk", namespace, new AuthenticationV1TokenRequest()
              .spec(new V1TokenRequestSpec().audiences(List.of("https://kubernetes.default.svc"))
                  .expirationSeconds(3600L)))
          .execute().getStatus().getToken();
      List<String> forbidden = new CopyOnWriteArrayList<>();
      ApiClient asServiceAccount = new ClientBuilder()
          .setBasePath(admin.getBasePath())
          .setVerifyingSsl(false) // the local control plane's kubeconfig skips verification too
          .setAuthentication(new AccessTokenAuthentication(token))
          .build();
      asServiceAccount.setHttpClient(asServiceAccount.getHttpClient().newBuilder()
          .readTimeout(5, TimeUnit.MINUTES)
          .addInterceptor(chain -> {
            okhttp3.Response response = chain.proceed(chain.request());
            if (response.code() == 403) {
              forbidden.add(chain.request().method() + " " + chain.request().url().encodedPath());
            }
            return response;
          })
          .build());

      core.createNamespacedSecret(namespace, new V1Secret().metadata(new V1ObjectMeta().name("db"))
          .putStringDataItem("password", "s3cret")).execute();
      core.createNamespacedConfigMap(namespace, new V1ConfigMap().metadata(new V1ObjectMeta().name("settings"))
          .putDataItem("mode", "demo").putDataItem("LEVEL", "debug")).execute();

      node = VirtualNode.builder().nodeName(nodeName).apiClient(asServiceAccount)
          .providerFactory(new FakeProviderFactory()).environment(Map.of("VK4J_FAKE_START_DELAY", "0s"))
          .options(VirtualNodeOptions.builder().kubeletApiPort(0)
              .kubeletApi(KubeletApiOptions.builder().clientCaFile(cluster.kubeletClientCaFile()).build()).build())
          .build();
      node.start();
      node.awaitReady(TIMEOUT);

      core.createNamespacedPod(namespace, new V1Pod()
          .metadata(new V1ObjectMeta().name("app"))
          .spec(new V1PodSpec()
              .nodeName(nodeName)
              .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))
              .addContainersItem(new V1Container().name("app").image("nginx")
                  .addEnvItem(new V1EnvVar().name("PASSWORD").valueFrom(new V1EnvVarSource()
                      .secretKeyRef(new V1SecretKeySelector().name("db").key("password"))))
                  .addEnvItem(new V1EnvVar().name("MODE").valueFrom(new V1EnvVarSource()
                      .configMapKeyRef(new V1ConfigMapKeySelector().name("settings").key("mode"))))
                  .addEnvFromItem(new V1EnvFromSource().configMapRef(new V1ConfigMapEnvSource().name("settings"))))))
          .execute();
      await().atMost(TIMEOUT).until(() -> "Running".equals(
          core.readNamespacedPod("app", namespace).execute().getStatus().getPhase()));
      await().atMost(TIMEOUT).until(() -> !core.listNamespacedEvent(namespace)
          .fieldSelector("involvedObject.name=app").execute().getItems().isEmpty());
      assertThat(core.readNamespacedPodLog("app", namespace).execute()).contains("fake container app started");
      HttpResponse<String> pods = HttpClient.newBuilder().sslContext(TestTls.trustingAnyServer(null, List.of()))
          .build().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.kubeletApiPort().orElseThrow()
              + "/pods")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(pods.statusCode()).as("the node's own service account may not proxy to nodes: %s", pods.body())
          .isEqualTo(403);
      String firstRenewal = leaseRenewTime(core, nodeName);
      await().atMost(TIMEOUT).until(() -> !leaseRenewTime(core, nodeName).equals(firstRenewal));

      core.deleteNamespacedPod("app", namespace).execute();
      await().atMost(TIMEOUT).until(() -> core.listNamespacedPod(namespace).execute().getItems().isEmpty());

      assertThat(forbidden).isEmpty();
    } finally {
      if (node != null) {
        node.close();
        core.deleteNode(nodeName).execute();
      }
      rbac.deleteClusterRoleBinding(roleName).execute();
      rbac.deleteClusterRole(roleName).execute();
    }
  }

  private static String leaseRenewTime(CoreV1Api core, String nodeName) throws ApiException {
    return String.valueOf(new io.kubernetes.client.openapi.apis.CoordinationV1Api(core.getApiClient())
        .readNamespacedLease(nodeName, "kube-node-lease").execute().getSpec().getRenewTime());
  }
}
