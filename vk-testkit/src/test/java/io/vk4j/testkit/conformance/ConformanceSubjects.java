package io.vk4j.testkit.conformance;

import io.vk4j.api.Provider;
import java.time.Duration;

/** Conformance runs of {@link MapProvider}s, launched by {@link ProviderConformanceKitTest} only. */
final class ConformanceSubjects {
  private ConformanceSubjects() {}

  /**
   * A flawed provider fails some tests by timing out: a short bound keeps that quick. (A
   * {@link MapProvider} answers at once, so tests it passes do not depend on the bound.)
   */
  abstract static class Quick extends ProviderConformanceTest {
    @Override
    protected Duration runningTimeout() {
      return Duration.ofSeconds(2);
    }

    @Override
    protected Duration terminationTimeout() {
      return Duration.ofSeconds(2);
    }
  }

  static class Correct extends ProviderConformanceTest {
    @Override
    protected Provider createProvider() {
      return new MapProvider();
    }
  }

  static class CorrectNotifying extends ProviderConformanceTest {
    @Override
    protected Provider createProvider() {
      return new MapProvider.Notifying();
    }
  }

  static class Regressing extends Quick {
    @Override
    protected Provider createProvider() {
      return new MapProvider.Notifying(MapProvider.Flaw.REGRESSES);
    }
  }

  static class IgnoresUpdate extends Quick {
    @Override
    protected Provider createProvider() {
      return new MapProvider(MapProvider.Flaw.IGNORES_UPDATE);
    }
  }

  static class SilentOnDelete extends Quick {
    @Override
    protected Provider createProvider() {
      return new MapProvider.Notifying(MapProvider.Flaw.SILENT_ON_DELETE);
    }
  }

  static class DeleteOfUnknownFails extends Quick {
    @Override
    protected Provider createProvider() {
      return new MapProvider(MapProvider.Flaw.DELETE_OF_UNKNOWN_FAILS);
    }
  }

  static class DuplicatesOnRetry extends Quick {
    @Override
    protected Provider createProvider() {
      return new MapProvider(MapProvider.Flaw.DUPLICATES_ON_RETRY);
    }
  }

  static class IgnoresDelete extends Quick {
    @Override
    protected Provider createProvider() {
      return new MapProvider(MapProvider.Flaw.IGNORES_DELETE);
    }
  }

  static class MutatesStatus extends Quick {
    @Override
    protected Provider createProvider() {
      return new MapProvider(MapProvider.Flaw.MUTATES_STATUS);
    }
  }

  static class NeverRuns extends Quick {
    @Override
    protected Provider createProvider() {
      return new MapProvider(MapProvider.Flaw.NEVER_RUNS);
    }
  }
}
