package io.vk4j.runtime.internal.client;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Call;
import okhttp3.OkHttpClient;

/** The API server's list and watch of the pods bound to a node, or of the Node itself. Internal to vk4j. */
public final class ApiListWatch<T> implements ListWatch<T> {
  private static final int PAGE_SIZE = 500;

  private interface Lister<T> {
    Page<T> list(String continueToken) throws ApiException;
  }

  private interface WatchCall {
    Call build(String resourceVersion, int timeoutSeconds) throws ApiException;
  }

  private final ApiClient client;
  private final OkHttpClient watchHttp;
  private final Class<T> type;
  private final Lister<T> lister;
  private final WatchCall watchCall;

  private ApiListWatch(ApiClient client, Class<T> type, Lister<T> lister, WatchCall watchCall) {
    this.client = client;
    // a watch stays open for minutes: a client of its own with a read timeout longer than that
    this.watchHttp = client.getHttpClient().newBuilder().readTimeout(Duration.ofMinutes(12)).build();
    this.type = type;
    this.lister = lister;
    this.watchCall = watchCall;
  }

  /** The pods whose {@code spec.nodeName} is {@code nodeName}, in every namespace. */
  public static ApiListWatch<V1Pod> podsOn(ApiClient client, String nodeName) {
    CoreV1Api core = new CoreV1Api(client);
    String selector = "spec.nodeName=" + nodeName;
    return new ApiListWatch<>(client, V1Pod.class, token -> {
      V1PodList page = core.listPodForAllNamespaces().fieldSelector(selector).limit(PAGE_SIZE)._continue(token).execute();
      return new Page<>(page.getItems(), page.getMetadata().getResourceVersion(), page.getMetadata().getContinue());
    }, (rv, timeout) -> core.listPodForAllNamespaces().fieldSelector(selector).watch(true).allowWatchBookmarks(true)
        .resourceVersion(rv).timeoutSeconds(timeout).buildCall(null));
  }

  /** The Node named {@code nodeName}. */
  public static ApiListWatch<V1Node> node(ApiClient client, String nodeName) {
    CoreV1Api core = new CoreV1Api(client);
    String selector = "metadata.name=" + nodeName;
    return new ApiListWatch<>(client, V1Node.class, token -> {
      V1NodeList page = core.listNode().fieldSelector(selector)._continue(token).execute();
      return new Page<>(page.getItems(), page.getMetadata().getResourceVersion(), page.getMetadata().getContinue());
    }, (rv, timeout) -> core.listNode().fieldSelector(selector).watch(true).allowWatchBookmarks(true)
        .resourceVersion(rv).timeoutSeconds(timeout).buildCall(null));
  }

  private static V1ObjectMeta metadataOf(Object object) {
    return ((KubernetesObject) object).getMetadata();
  }

  @Override
  public Page<T> list(String continueToken) throws ApiException {
    return lister.list(continueToken);
  }

  @Override
  public Events<T> watch(String resourceVersion) throws ApiException {
    int timeout = 300 + ThreadLocalRandom.current().nextInt(300);
    Call longCall = watchHttp.newCall(watchCall.build(resourceVersion, timeout).request());
    Watch<T> watch = LeanWatch.start(client, longCall, type);
    Iterator<Watch.Response<T>> responses = watch.iterator();
    return new Events<>() {
      @Override
      public Event<T> next() throws IOException {
        try {
          if (!responses.hasNext()) {
            return null;
          }
          Watch.Response<T> response = responses.next();
          return switch (response.type) {
            case "BOOKMARK" -> new Event<>(response.type, null, metadataOf(response.object).getResourceVersion(), null);
            case "ERROR" -> new Event<>(response.type, null, null, response.status);
            default -> new Event<>(response.type, response.object, null, null);
          };
        } catch (RuntimeException e) {
          // the client wraps I/O failures of the stream in RuntimeExceptions
          throw new IOException("watch stream failed: " + ApiErrors.describe(e), e);
        }
      }

      @Override
      public void close() throws IOException {
        watch.close();
      }
    };
  }
}
