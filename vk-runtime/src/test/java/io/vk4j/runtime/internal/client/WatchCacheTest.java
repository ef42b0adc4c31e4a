package io.vk4j.runtime.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ManagedFieldsEntry;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The list-then-watch cycle of the cache, against a scripted API server. */
class WatchCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ScriptedListWatch<V1Pod> server = new ScriptedListWatch<>();
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final WatchCache<V1Pod> cache = new WatchCache<>("test pods", server, new WatchCache.Handler<>() {
    @Override
    public void upserted(V1Pod old, V1Pod current) {
      changes.add((old == null ? "added " : "modified ") + describe(current));
    }

    @Override
    public void deleted(V1Pod gone) {
      changes.add("deleted " + describe(gone));
    }
  }, Duration.ofMillis(50), new ThreadFactoryBuilder().setNameFormat("test-watch").setDaemon(true).build());

  @AfterEach
  void close() {
    cache.close();
  }

  private static String describe(V1Pod pod) {
    return pod.getMetadata().getName() + "@" + pod.getMetadata().getResourceVersion() + "/" + pod.getMetadata().getUid();
  }

  private static V1Pod pod(String name, String uid, String rv) {
    return new V1Pod().metadata(new V1ObjectMeta().namespace("ns").name(name).uid(uid).resourceVersion(rv)
        .managedFields(List.of(new V1ManagedFieldsEntry().manager("kubectl"))));
  }

  private static ListWatch.Page<V1Pod> page(String rv, V1Pod... pods) {
    return new ListWatch.Page<>(List.of(pods), rv, null);
  }

  private static ListWatch.Event<V1Pod> event(String type, V1Pod pod) {
    return new ListWatch.Event<>(type, pod, null, null);
  }

  @Test
  void listsInPagesThenWatchesFromTheListsVersionWithoutManagedFields() {
    server.lists.add(new ListWatch.Page<>(List.of(pod("a", "u-a", "5")), "9", "more"));
    server.lists.add(page("10", pod("b", "u-b", "8")));
    server.watchStarts.add("go");
    cache.start();

    await().atMost(WAIT).until(cache::synced);
    assertThat(changes).containsExactlyInAnyOrder("added a@5/u-a", "added b@8/u-b");
    assertThat(cache.get("ns/a").getMetadata().getManagedFields()).isNull();
    await().atMost(WAIT).until(() -> server.watchedFrom.equals(List.of("10")));
  }

  @Test
  void anExpiredWatchListsAgainAndReportsTheDifferencesAsEvents() {
    server.lists.add(page("10", pod("kept", "u-1", "5"), pod("gone", "u-2", "6"), pod("renamed", "u-3", "7")));
    server.watchStarts.add(new ApiException(410, "too old resource version"));
    // the second list: one pod changed, one deleted, one deleted and created again under its name
    server.lists.add(page("20", pod("kept", "u-1", "15"), pod("renamed", "u-4", "16")));
    server.watchStarts.add("go");
    cache.start();

    await().atMost(WAIT).until(() -> server.watchedFrom.equals(List.of("10", "20")));
    assertThat(changes).containsSubsequence("modified kept@15/u-1")
        .contains("deleted gone@6/u-2", "deleted renamed@7/u-3", "added renamed@16/u-4");
    assertThat(cache.get("ns/renamed").getMetadata().getUid()).isEqualTo("u-4");
    assertThat(cache.get("ns/gone")).isNull();
  }

  @Test
  void aBookmarkMovesTheResourceVersionTheNextWatchStartsFrom() {
    server.lists.add(page("10"));
    server.watchStarts.add("go");
    server.watchStarts.add("go");
    cache.start();
    await().atMost(WAIT).until(() -> server.watchedFrom.size() == 1);

    server.send(event("ADDED", pod("a", "u-a", "11")));
    server.send(new ListWatch.Event<>("BOOKMARK", null, "42", null));
    server.endWatch(); // the server's timeout: watch again from the bookmark, no list

    await().atMost(WAIT).until(() -> server.watchedFrom.equals(List.of("10", "42")));
    assertThat(changes).containsExactly("added a@11/u-a");
    assertThat(server.lists).isEmpty();
  }

  @Test
  void anErrorEventSayingGoneListsAgainAndAnyOtherErrorRetries() {
    server.lists.add(page("10", pod("a", "u-a", "5")));
    server.watchStarts.add("go");
    cache.start();
    await().atMost(WAIT).until(() -> server.watchedFrom.size() == 1);

    server.lists.add(page("30", pod("a", "u-a", "5")));
    server.watchStarts.add("go");
    server.send(new ListWatch.Event<>("ERROR", null, null, new V1Status().code(410).message("expired")));
    await().atMost(WAIT).until(() -> server.watchedFrom.equals(List.of("10", "30")));

    server.lists.add(new ApiException(0, "connection refused"));
    server.lists.add(page("40", pod("a", "u-a", "5")));
    server.watchStarts.add("go");
    server.send(new ListWatch.Event<>("ERROR", null, null, new V1Status().code(500).message("internal")));
    await().atMost(WAIT).until(() -> server.watchedFrom.equals(List.of("10", "30", "40")));
    assertThat(changes).containsExactly("added a@5/u-a"); // nothing changed: no events
  }

  @Test
  void aNewerVersionFromAWriteReplacesTheCachedOneButAnOlderOrAnotherUidDoesNot() {
    server.lists.add(page("10", pod("a", "u-a", "5")));
    server.watchStarts.add("go");
    cache.start();
    await().atMost(WAIT).until(cache::synced);

    cache.offer(pod("a", "u-a", "4"));
    cache.offer(pod("a", "u-other", "9"));
    assertThat(cache.get("ns/a").getMetadata().getResourceVersion()).isEqualTo("5");
    cache.offer(pod("a", "u-a", "7"));
    assertThat(cache.get("ns/a").getMetadata().getResourceVersion()).isEqualTo("7");
  }
}
