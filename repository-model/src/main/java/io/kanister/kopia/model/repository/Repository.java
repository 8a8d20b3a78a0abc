package io.kanister.kopia.model.repository;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Kopia repository, its repository server and its access users, as one custom resource. */
@Group(Repository.GROUP)
@Version(Repository.VERSION)
@Kind(Repository.KIND)
@Plural(Repository.PLURAL)
@Singular("repository")
@ShortNames({"krepo", "repo"})
@Categories("kanister")
@AdditionalPrinterColumn(
    name = "Target",
    jsonPath = ".spec.targetNamespace",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"RepositoryReady\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Server",
    jsonPath = ".status.conditions[?(@.type==\"ServerReady\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Users",
    jsonPath = ".status.users.summary",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Repository extends CustomResource<RepositorySpec, RepositoryStatus>
    implements Namespaced {
  public static final String GROUP = "cr.kanister.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "Repository";
  public static final String PLURAL = "repositories";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String CRD_NAME = PLURAL + "." + GROUP;

  /** The singleton Repository of global mode. */
  public static final String GLOBAL_NAME = "repository-global";

  // Overridden only to mark spec required in the generated schema: without a spec there is no
  // location, and the required location would never be checked.
  @Override
  @Required
  public RepositorySpec getSpec() {
    return super.getSpec();
  }
}
