package io.vk4j.runtime.internal.metrics;

import io.kubernetes.client.openapi.ApiClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts the requests of an API client by verb and HTTP code ({@code vk4j_api_requests_total}),
 * with an OkHttp interceptor added once to the client. Nodes that share a client each count all of
 * its requests. Internal to vk4j.
 */
public final class ApiRequestMetrics implements Interceptor {
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

  private ApiRequestMetrics() {}

  /** Counts the requests of {@code client} into {@code registry} from now on. */
  public static synchronized void install(ApiClient client, MeterRegistry registry) {
    ApiRequestMetrics metrics = client.getHttpClient().interceptors().stream()
        .filter(ApiRequestMetrics.class::isInstance).map(ApiRequestMetrics.class::cast).findFirst().orElse(null);
    if (metrics == null) {
      metrics = new ApiRequestMetrics();
      client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(metrics).build());
    }
    if (!metrics.registries.contains(registry)) {
      metrics.registries.add(registry);
      metrics.counters.clear();
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    String verb = verb(chain.request());
    try {
      Response response = chain.proceed(chain.request());
      count(verb, Integer.toString(response.code()));
      return response;
    } catch (IOException | RuntimeException e) {
      count(verb, "none");
      throw e;
    }
  }

  /** The Kubernetes verb where the method does not say it: a GET that watches is WATCH. */
  private static String verb(okhttp3.Request request) {
    String method = request.method();
    if (method.equals("GET") && "true".equals(request.url().queryParameter("watch"))) {
      return "WATCH";
    }
    return method;
  }

  private void count(String verb, String code) {
    Counter[] perRegistry = counters.get(verb + ' ' + code);
    if (perRegistry == null) {
      perRegistry = counters.computeIfAbsent(verb + ' ' + code, key -> registries.stream()
          .map(r -> Counter.builder("vk4j.api.requests").description("Requests to the API server, by verb and code")
              .tag("verb", verb).tag("code", code).register(r))
          .toArray(Counter[]::new));
    }
    for (Counter counter : perRegistry) {
      counter.increment();
    }
  }
}
