package io.vk4j.testkit.cluster;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests a {@link TestCluster}: a real Kubernetes API server, either the cluster named by
 * {@code $KUBECONFIG} or the project's local control plane, started once per JVM.
 *
 * <pre>{@code
 * @ExtendWith(KubernetesClusterExtension.class)
 * class PodIT {
 *   @Test void runs(TestCluster cluster) { String ns = cluster.createNamespace("pods"); ... }
 * }
 * }</pre>
 *
 * The cluster is injected into constructors, lifecycle methods and test methods. Namespaces it
 * created for a test class are deleted after that class.
 */
public final class KubernetesClusterExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    return classContext.getStore(ExtensionContext.Namespace.create(KubernetesClusterExtension.class))
        .computeIfAbsent("cluster", key -> new ClassCluster(ControlPlane.kubeconfig()), ClassCluster.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
