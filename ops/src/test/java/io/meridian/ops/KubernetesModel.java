package io.meridian.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a manifest into fabric8's typed Kubernetes model (generated from the Kubernetes OpenAPI
 * schema), as a strict stand-in for schema validation: a field of the wrong type fails to read, and
 * a field the schema does not know, which the model keeps aside as an "additional property", is
 * reported.
 */
final class KubernetesModel {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The model class of each kind the chart renders, for its apiVersion. */
  private static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.of(
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/Secret", Secret.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Service", Service.class,
          "apps/v1/Deployment", Deployment.class,
          "rbac.authorization.k8s.io/v1/Role", Role.class,
          "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

  private KubernetesModel() {}

  /** The manifest as its typed object; fails on an unknown kind or a field of the wrong type. */
  static HasMetadata read(JsonNode manifest) {
    String type = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
    Class<? extends HasMetadata> model = TYPES.get(type);
    if (model == null) {
      throw new AssertionError("a kind the chart is not expected to render: " + type);
    }
    try {
      return JSON.treeToValue(manifest, model);
    } catch (JsonProcessingException e) {
      throw new AssertionError(type + " does not read as " + model.getSimpleName(), e);
    }
  }

  /** The paths of fields in {@code object} that the Kubernetes schema does not have. */
  static List<String> unknownFields(Object object) {
    List<String> unknown = new ArrayList<>();
    collect(object, "", unknown);
    return unknown;
  }

  private static void collect(Object value, String path, List<String> unknown) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collect(item, path + "[" + i++ + "]", unknown);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> collect(item, path + "." + key, unknown));
    } else if (value != null
        && value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      for (Method getter : value.getClass().getMethods()) {
        if (getter.getParameterCount() != 0
            || !getter.getName().startsWith("get")
            || getter.getDeclaringClass() == Object.class) {
          continue;
        }
        Object child = invoke(getter, value);
        if (getter.getName().equals("getAdditionalProperties")) {
          ((Map<?, ?>) child).keySet().forEach(key -> unknown.add(path + "." + key));
        } else {
          collect(child, path + "." + getter.getName().substring(3), unknown);
        }
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + getter, e);
    }
  }
}
