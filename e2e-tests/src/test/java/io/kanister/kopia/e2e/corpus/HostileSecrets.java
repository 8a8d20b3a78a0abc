package io.kanister.kopia.e2e.corpus;

import static io.kanister.kopia.e2e.corpus.SecretCase.Role.ACCESS;
import static io.kanister.kopia.e2e.corpus.SecretCase.Role.ADMIN;
import static io.kanister.kopia.e2e.corpus.SecretCase.Role.LOCATION;
import static io.kanister.kopia.e2e.corpus.SecretCase.Role.TLS;
import static io.kanister.kopia.e2e.corpus.SecretCase.Stop.API_SERVER;
import static io.kanister.kopia.e2e.corpus.SecretCase.Stop.CONDITION;
import static io.kanister.kopia.e2e.corpus.SecretCase.Stop.WEBHOOK;

import io.kanister.kopia.e2e.corpus.SecretCase.Expected;
import io.kanister.kopia.e2e.corpus.SecretCase.Role;
import io.kanister.kopia.testsupport.S3Bucket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The hostile Secrets of the corpus, as a table: each row is a Secret a tenant could write, the
 * marker planted in its values, and where it must be stopped. Locations that would pass the parser
 * point only at loopback storage, so a wrong expectation can never send traffic elsewhere.
 */
public final class HostileSecrets {
  static final String INVALID = "InvalidSecret";
  static final String INVALID_ACCESS = "InvalidAccessSecret";
  private static final int MIB = 1024 * 1024;

  private final List<SecretCase> cases = new ArrayList<>();
  private final S3Bucket bucket;
  private final Path root;
  private final Path outside;
  private final CorpusPki pki = new CorpusPki();

  /**
   * @param root a directory under the operator's filesystem roots
   * @param outside a directory outside them (reached by a symlink trick)
   */
  public HostileSecrets(S3Bucket bucket, Path root, Path outside) {
    this.bucket = bucket;
    this.root = root;
    this.outside = outside;
    location();
    admin();
    tls();
    access();
  }

  public List<SecretCase> cases() {
    return List.copyOf(cases);
  }

  /** A TLS Secret's data with a chain behind the leaf, which must serve. */
  public Map<String, String> chainTls() {
    return Map.of("tls.crt", pki.chainPem(), "tls.key", pki.keyPem());
  }

  private void location() {
    String l = "location-keys";
    // s3: every key
    s3(l, "s3-missing-bucket", m -> s3Without("bucket", m), "bucket", "is missing");
    s3(l, "s3-bucket-nul", m -> s3With(m, "bucket", "b\0" + m), "bucket", "NUL");
    s3(
        l,
        "s3-endpoint-path",
        m -> s3With(m, "endpoint", "http://127.0.0.1:9/" + m),
        "endpoint",
        null);
    s3(l, "s3-endpoint-scheme", m -> s3With(m, "endpoint", "ftp://" + m), "endpoint", null);
    s3(l, "s3-region-esc", m -> s3With(m, "region", "us\u001b" + m), "region", "control");
    s3(l, "s3-missing-access-key", m -> s3Without("access-key", m), "access-key", "is missing");
    s3(
        l,
        "s3-secret-key-tab",
        m -> s3With(m, "secret-access-key", "sk" + m + "\tx"),
        "secret-access-key",
        null);
    s3(
        l,
        "s3-session-token-bell",
        m -> s3With(m, "session-token", "t\u0007" + m),
        "session-token",
        null);
    s3(
        l,
        "s3-disable-tls-yes",
        m -> s3With(m, "disable-tls", "yes" + m),
        "disable-tls",
        "true or false");
    s3(
        l,
        "s3-tls-verification-bad",
        m -> s3With(m, "disable-tls-verification", m),
        "disable-tls-verification",
        "true or false");
    s3(
        l,
        "s3-root-ca-not-pem",
        m -> s3With(m, "root-ca-pem", "not a pem " + m),
        "root-ca-pem",
        "PEM");
    s3(l, "s3-typo-key", m -> s3With(m, "secret-acess-key", m), "secret-acess-key", "did you mean");
    s3(l, "s3-prefix-del", m -> s3With(m, "prefix", "p\u007f" + m), "prefix", null);
    s3(l, "s3-prefix-c1", m -> s3With(m, "prefix", "p\u0085" + m), "prefix", null);
    s3(l, "s3-bucket-blank", m -> s3With(m, "bucket", "   "), "bucket", null);
    s3(
        l,
        "s3-https-and-disable-tls",
        m -> s3With(m, "disable-tls", "true", "endpoint", "https://127.0.0.1:9"),
        "disable-tls",
        null);
    // gcs, azure, b2: each required key and a foreign key; all stopped by the parser
    loc(
        l,
        "gcs-not-json",
        m -> kv("type", "gcs", "bucket", "b", "repo-password", m, "credentials.json", "nope " + m),
        "credentials.json",
        "JSON");
    loc(
        l,
        "gcs-missing-bucket",
        m -> kv("type", "gcs", "repo-password", m, "credentials.json", "{\"x\":\"" + m + "\"}"),
        "bucket",
        "is missing");
    loc(
        l,
        "gcs-foreign-endpoint",
        m -> kv("type", "gcs", "bucket", "b", "repo-password", m, "endpoint", m),
        "endpoint",
        "not a known key");
    loc(
        l,
        "azure-missing-container",
        m -> kv("type", "azure", "storage-account", "a", "storage-key", m, "repo-password", m),
        "container",
        "is missing");
    loc(
        l,
        "azure-no-credential",
        m -> kv("type", "azure", "container", "c", "storage-account", "a" + m, "repo-password", m),
        null,
        null);
    loc(
        l,
        "azure-account-nul",
        m ->
            kv(
                "type",
                "azure",
                "container",
                "c",
                "storage-account",
                "a\0" + m,
                "storage-key",
                m,
                "repo-password",
                m),
        "storage-account",
        "NUL");
    loc(
        l,
        "azure-domain-newline",
        m ->
            kv(
                "type",
                "azure",
                "container",
                "c",
                "storage-account",
                "a",
                "storage-key",
                m,
                "storage-domain",
                "x\n" + m,
                "repo-password",
                m),
        "storage-domain",
        null);
    loc(
        l,
        "b2-missing-key-id",
        m -> kv("type", "b2", "bucket", "b", "key", m, "repo-password", m),
        "key-id",
        "is missing");
    loc(
        l,
        "b2-key-blank",
        m -> kv("type", "b2", "bucket", "b", "key-id", "i" + m, "key", " \n ", "repo-password", m),
        "key",
        null);
    // common keys
    loc(l, "type-unknown", m -> kv("type", "s4" + m, "repo-password", m), "type", "must be one of");
    loc(
        l,
        "type-missing",
        m -> kv("path", root.toString(), "repo-password", m),
        "type",
        "is missing");
    loc(
        l,
        "password-missing",
        m -> kv("type", "filesystem", "path", root + "/" + m),
        "repo-password",
        "is missing");
    loc(
        l,
        "password-empty",
        m -> kv("type", "filesystem", "path", root + "/" + m, "repo-password", ""),
        "repo-password",
        null);

    String e = "encodings";
    loc(e, "password-nul", m -> fs(m, "pw\0" + m), "repo-password", "NUL");
    loc(e, "password-esc", m -> fs(m, "pw\u001b[31m" + m), "repo-password", "control");
    loc(e, "password-line-break-inside", m -> fs(m, "pw\n" + m), "repo-password", null);
    bytes(
        e,
        "password-latin1",
        m -> bytesKv(m, "repo-password", cat("pw\u00e9", m, StandardCharsets.ISO_8859_1)),
        "repo-password",
        "not UTF-8");
    bytes(
        e,
        "password-overlong-utf8",
        m -> bytesKv(m, "repo-password", cat(new byte[] {(byte) 0xc0, (byte) 0xaf}, m)),
        "repo-password",
        "not UTF-8");
    bytes(
        e,
        "password-surrogate-utf8",
        m ->
            bytesKv(m, "repo-password", cat(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, m)),
        "repo-password",
        "not UTF-8");
    bytes(
        e,
        "password-ff-fe",
        m -> bytesKv(m, "repo-password", cat(new byte[] {(byte) 0xff, (byte) 0xfe}, m)),
        "repo-password",
        "not UTF-8");
    loc(
        e,
        "type-with-nul",
        m -> kv("type", "filesystem\0" + m, "path", root.toString(), "repo-password", m),
        "type",
        "NUL");
    // base64 tricks under data: line breaks are legal base64 for the API server (and decode to a
    // value with a BEL here); a space is not, and is refused.
    raw(
        e,
        "base64-line-breaks",
        m -> rawKv(m, wrapped(64, "pw\u0007" + m)),
        CONDITION,
        "repo-password",
        null);
    raw(e, "base64-spaces", m -> rawKv(m, spaced("pw" + m)), API_SERVER, null, null);
    raw(e, "base64-not-base64", m -> rawKv(m, "%%" + m + "%%"), API_SERVER, null, null);
    loc(
        e,
        "key-name-with-space",
        m -> kv("type", "filesystem", "path", root.toString(), "repo password", m),
        API_SERVER,
        null,
        null);
    loc(
        e,
        "key-name-slash",
        m -> kv("type", "filesystem", "path", root.toString(), "../repo-password", m),
        API_SERVER,
        null,
        null);

    String s = "sizes";
    loc(s, "value-1mib", m -> fs(m, m + "x".repeat(MIB)), API_SERVER, null, null);
    loc(
        s,
        "password-900kib",
        m -> fs(m, m + "x".repeat(900 * 1024)),
        "repo-password",
        "bytes long");
    loc(
        s,
        "bucket-200kib",
        m -> s3With(m, "bucket", m + "b".repeat(200 * 1024)),
        "bucket",
        "bytes");
    loc(s, "many-unknown-keys", m -> manyKeys(m, 2000), null, "not a known key");

    String p = "paths";
    webhook(p, "path-dot-dot", m -> fsPath(m, "/tmp/../../etc/" + m), "must not contain '..'");
    webhook(
        p,
        "path-dot-dot-inside-root",
        m -> fsPath(m, root + "/../" + root.getFileName() + "/" + m),
        "must not contain '..'");
    webhook(p, "path-outside-roots", m -> fsPath(m, "/etc/" + m), "is outside the directories");
    webhook(p, "path-relative", m -> fsPath(m, "relative/" + m), null);
    webhook(
        p, "path-root-prefix-sibling", m -> fsPath(m, "/tmpx/" + m), "is outside the directories");
    loc(p, "path-nul", m -> fsPath(m, root + "/a\0" + m), "path", "NUL");
    loc(p, "path-newline", m -> fsPath(m, root + "/a\n" + m), "path", null);
    loc(
        p,
        "path-missing-dir",
        // The path is a plain setting the message shows: the marker goes in the password only.
        m -> fsPath(m, root + "/missing-dir"),
        CONDITION,
        "FilesystemPathNotFound",
        null,
        "does not exist");
    loc(
        p,
        "path-symlink-out",
        m -> fsPath(m, root + "/link-out"),
        CONDITION,
        "FilesystemPathNotFound",
        null,
        "symbolic link");
    loc(
        p,
        "path-percent-dots",
        m -> fsPath(m, root + "/%2e%2e/x"),
        CONDITION,
        "FilesystemPathNotFound",
        null,
        "does not exist");
  }

  private void admin() {
    String a = "admin-keys";
    adm(a, "admin-missing-password", m -> kv("username", "u" + m), "password", "is missing");
    adm(
        a,
        "admin-password-trailing-newline",
        m -> kv("password", "pw" + m + "\n"),
        "password",
        "whitespace");
    adm(
        a,
        "admin-password-leading-space",
        m -> kv("password", " pw" + m),
        "password",
        "whitespace");
    adm(a, "admin-username-colon", m -> kv("username", "u:" + m, "password", m), "username", "':'");
    adm(a, "admin-username-space", m -> kv("username", "u " + m, "password", m), "username", null);
    adm(
        a,
        "admin-same-usernames",
        m -> kv("username", "same", "control-username", "same", "password", m),
        null,
        "differ");
    adm(
        a,
        "admin-control-password-nul",
        m -> kv("password", "pw" + m, "control-password", "c\0" + m),
        "control-password",
        "NUL");
    adm(a, "admin-typo-key", m -> kv("password", m, "passwrd", m), "passwrd", "did you mean");
    adm(
        a,
        "admin-control-username-tab",
        m -> kv("password", m, "control-username", "c\t" + m),
        "control-username",
        null);
    cases.add(
        new SecretCase(
            "admin-password-latin1",
            "encodings",
            ADMIN,
            "Opaque",
            m -> Map.of("password", cat("pw\u00fc", m, StandardCharsets.ISO_8859_1)),
            null,
            new Expected(CONDITION, INVALID, "password", "not UTF-8")));
    adm(
        "sizes",
        "admin-password-200kib",
        m -> kv("password", m + "p".repeat(200 * 1024)),
        "password",
        "bytes");
  }

  private void tls() {
    String t = "tls";
    tlsCase(
        t,
        "tls-key-mismatch",
        m -> kv("tls.crt", pki.leafPem(), "tls.key", "# " + m + "\n" + TestPkiKeys.other(pki)),
        "tls.key",
        "does not belong");
    tlsCase(
        t,
        "tls-expired",
        m -> kv("tls.crt", "# " + m + "\n" + pem(pki.expired), "tls.key", pki.keyPem()),
        "tls.crt",
        "expired");
    tlsCase(
        t,
        "tls-not-yet-valid",
        m -> kv("tls.crt", "# " + m + "\n" + pem(pki.notYetValid), "tls.key", pki.keyPem()),
        "tls.crt",
        "not valid before");
    tlsCase(
        t,
        "tls-chain-ca-first",
        m -> kv("tls.crt", "# " + m + "\n" + pki.wrongOrderChainPem(), "tls.key", pki.keyPem()),
        "tls.key",
        "leaf first");
    tlsCase(
        t,
        "tls-cert-not-pem",
        m -> kv("tls.crt", "cert " + m, "tls.key", pki.keyPem()),
        "tls.crt",
        "PEM");
    tlsCase(
        t,
        "tls-cert-bad-base64",
        m ->
            kv(
                "tls.crt",
                "-----BEGIN CERTIFICATE-----\n" + m + "!!\n-----END CERTIFICATE-----\n",
                "tls.key",
                pki.keyPem()),
        "tls.crt",
        "PEM");
    tlsCase(
        t,
        "tls-key-not-pem",
        m -> kv("tls.crt", pki.leafPem(), "tls.key", "key " + m),
        "tls.key",
        "PEM private key");
    tlsCase(
        t,
        "tls-key-nul",
        m -> kv("tls.crt", pki.leafPem(), "tls.key", pki.keyPem() + "\0" + m),
        "tls.key",
        "NUL");
    tlsCase(
        t,
        "tls-unknown-key",
        m -> kv("tls.crt", pki.leafPem(), "tls.key", pki.keyPem(), "tls.pem", m),
        "tls.pem",
        "not a known key");
    cases.add(
        new SecretCase(
            "tls-missing-key-opaque",
            t,
            TLS,
            "Opaque",
            m -> bytesOf(kv("tls.crt", "# " + m + "\n" + pki.leafPem())),
            null,
            new Expected(CONDITION, INVALID, "tls.key", "is missing")));
    cases.add(
        new SecretCase(
            "tls-missing-key-typed",
            t,
            TLS,
            "kubernetes.io/tls",
            m -> bytesOf(kv("tls.crt", "# " + m + "\n" + pki.leafPem())),
            null,
            new Expected(API_SERVER, null, null, "tls.key")));
    cases.add(
        new SecretCase(
            "tls-wrong-type",
            t,
            TLS,
            "example.com/custom",
            m -> bytesOf(kv("tls.crt", "# " + m + "\n" + pki.leafPem(), "tls.key", pki.keyPem())),
            null,
            new Expected(CONDITION, INVALID, null, "kubernetes.io/tls")));
  }

  private void access() {
    String a = "access";
    acc(a, "access-not-a-mapping", m -> kv("app", "just text " + m), "app", "must be YAML");
    acc(a, "access-syntax-error", m -> kv("app", "username: [" + m), "app", null);
    acc(
        a,
        "access-unknown-field",
        m -> kv("app", "username: u\npassword: " + m + "\nrole: admin"),
        "app",
        "unknown field");
    acc(
        a,
        "access-field-twice",
        m -> kv("app", "username: u\npassword: " + m + "\npassword: again" + m),
        "app",
        null);
    acc(
        a,
        "access-two-documents",
        m -> kv("app", "username: u\npassword: " + m + "\n---\nusername: v\n"),
        "app",
        "more than one");
    acc(
        a,
        "access-escaped-nul",
        m -> kv("app", "username: u\npassword: \"p\\0" + m + "\""),
        "app",
        "NUL");
    acc(a, "access-raw-bell", m -> kv("app", "username: u\npassword: p\u0007" + m), "app", null);
    acc(
        a,
        "access-upper-workload",
        m -> kv("App", "username: u\npassword: " + m),
        "App",
        "workload identifier");
    acc(
        a,
        "access-bad-username",
        m -> kv("app", "username: Bad User\npassword: " + m),
        "app",
        "username");
    acc(
        a,
        "access-no-password",
        m -> kv("app", "username: u" + m.substring(0, 4)),
        "app",
        "no password");
    acc(
        a,
        "access-list-value",
        m -> kv("app", "username: [a, b]\npassword: " + m),
        "app",
        "plain value");
    cases.add(
        new SecretCase(
            "access-empty-secret",
            a,
            ACCESS,
            "Opaque",
            m -> Map.of(),
            null,
            new Expected(CONDITION, INVALID_ACCESS, null, "has no keys")));
    cases.add(
        new SecretCase(
            "access-non-utf8",
            "encodings",
            ACCESS,
            "Opaque",
            m ->
                Map.of("app", cat("username: u\npassword: \u00e9", m, StandardCharsets.ISO_8859_1)),
            null,
            new Expected(CONDITION, INVALID_ACCESS, "app", "not UTF-8")));
    String y = "yaml-bombs";
    acc(y, "access-billion-laughs", m -> kv("app", laughs(m)), "app", null);
    acc(
        y,
        "access-anchor-alias",
        m -> kv("app", "username: &u u" + m.substring(0, 4) + "\npassword: *u\n"),
        "app",
        null);
    acc(
        y,
        "access-merge-key",
        m -> kv("app", "base: &b {username: u, password: " + m + "}\n<<: *b\n"),
        "app",
        null);
    acc(
        y,
        "access-deep-nesting",
        m -> kv("app", "username: " + "[".repeat(5000) + m + "]".repeat(5000) + "\npassword: x"),
        "app",
        null);
    acc(
        y,
        "access-tagged-value",
        m -> kv("app", "username: !!binary aGVsbG8=\npassword: !!python/object:os.system " + m),
        "app",
        null);
    String s = "sizes";
    acc(s, "access-10000-entries", m -> tenThousand(m), null, null);
    acc(
        s,
        "access-password-200kib",
        m -> kv("app", "username: u\npassword: " + m + "p".repeat(200 * 1024)),
        "app",
        "bytes");
    // Two Secrets give the same user: the one listed first serves it, the other is reported.
    cases.add(
        new SecretCase(
            "access-duplicate-first",
            "duplicates",
            ACCESS,
            "Opaque",
            m -> bytesOf(kv("dup", "username: twin\npassword: first-" + m)),
            null,
            new Expected(CONDITION, null, null, null)));
    cases.add(
        new SecretCase(
            "access-duplicate-second",
            "duplicates",
            ACCESS,
            "Opaque",
            m -> bytesOf(kv("dup", "username: twin\npassword: second-" + m)),
            null,
            new Expected(CONDITION, "DuplicateUser", "dup", null)));
  }

  // --- builders ---------------------------------------------------------------------------

  private void loc(
      String category,
      String name,
      Function<String, Map<String, String>> values,
      String key,
      String fragment) {
    loc(category, name, values, CONDITION, INVALID, key, fragment);
  }

  private void loc(
      String category,
      String name,
      Function<String, Map<String, String>> values,
      SecretCase.Stop stop,
      String key,
      String fragment) {
    loc(category, name, values, stop, null, key, fragment);
  }

  private void loc(
      String category,
      String name,
      Function<String, Map<String, String>> values,
      SecretCase.Stop stop,
      String reason,
      String key,
      String fragment) {
    cases.add(
        new SecretCase(
            name,
            category,
            LOCATION,
            "Opaque",
            m -> bytesOf(values.apply(m)),
            null,
            new Expected(stop, reason, key, fragment)));
  }

  private void s3(
      String category,
      String name,
      Function<String, Map<String, String>> values,
      String key,
      String fragment) {
    loc(category, name, values, key, fragment);
  }

  private void webhook(
      String category, String name, Function<String, Map<String, String>> values, String fragment) {
    loc(category, name, values, WEBHOOK, "path", fragment);
  }

  private void bytes(
      String category,
      String name,
      Function<String, Map<String, byte[]>> values,
      String key,
      String fragment) {
    cases.add(
        new SecretCase(
            name,
            category,
            LOCATION,
            "Opaque",
            values,
            null,
            new Expected(CONDITION, INVALID, key, fragment)));
  }

  private void raw(
      String category,
      String name,
      Function<String, Map<String, String>> values,
      SecretCase.Stop stop,
      String key,
      String fragment) {
    cases.add(
        new SecretCase(
            name,
            category,
            LOCATION,
            "Opaque",
            m -> Map.of(),
            values,
            new Expected(stop, stop == CONDITION ? INVALID : null, key, fragment)));
  }

  private void adm(
      String category,
      String name,
      Function<String, Map<String, String>> values,
      String key,
      String fragment) {
    cases.add(
        new SecretCase(
            name,
            category,
            ADMIN,
            "Opaque",
            m -> bytesOf(values.apply(m)),
            null,
            new Expected(CONDITION, INVALID, key, fragment)));
  }

  private void tlsCase(
      String category,
      String name,
      Function<String, Map<String, String>> values,
      String key,
      String fragment) {
    cases.add(
        new SecretCase(
            name,
            category,
            TLS,
            "kubernetes.io/tls",
            m -> bytesOf(values.apply(m)),
            null,
            new Expected(CONDITION, INVALID, key, fragment)));
  }

  private void acc(
      String category,
      String name,
      Function<String, Map<String, String>> values,
      String key,
      String fragment) {
    cases.add(
        new SecretCase(
            name,
            category,
            ACCESS,
            "Opaque",
            m -> bytesOf(values.apply(m)),
            null,
            new Expected(CONDITION, null, key, fragment)));
  }

  private Map<String, String> s3Base(String m) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("type", "s3");
    values.put("bucket", bucket.bucket());
    values.put("endpoint", bucket.endpoint());
    values.put("region", bucket.region());
    values.put("prefix", "corpus/" + m + "/");
    values.put("repo-password", "pw-" + m);
    values.put("access-key", bucket.accessKey());
    values.put("secret-access-key", bucket.secretKey());
    return values;
  }

  private Map<String, String> s3With(String m, String... keyValues) {
    Map<String, String> values = s3Base(m);
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return values;
  }

  private Map<String, String> s3Without(String key, String m) {
    Map<String, String> values = s3Base(m);
    values.remove(key);
    return values;
  }

  private Map<String, String> fs(String m, String password) {
    return kv("type", "filesystem", "path", root.toString(), "repo-password", password);
  }

  private Map<String, String> fsPath(String m, String path) {
    return kv("type", "filesystem", "path", path, "repo-password", "pw-" + m);
  }

  private Map<String, byte[]> bytesKv(String m, String key, byte[] value) {
    Map<String, byte[]> values = bytesOf(kv("type", "filesystem", "path", root.toString()));
    values.put(key, value);
    return values;
  }

  private Map<String, String> rawKv(String m, String encodedPassword) {
    return Map.of(
        "type", b64("filesystem"), "path", b64(root.toString()), "repo-password", encodedPassword);
  }

  private Map<String, String> manyKeys(String m, int count) {
    Map<String, String> values = fs(m, "pw-" + m);
    for (int i = 0; i < count; i++) {
      values.put("unknown-" + i, m);
    }
    return values;
  }

  private static Map<String, String> tenThousand(String m) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < 10_000; i++) {
      // Each entry is broken (no password), so none reaches kopia: the operator must stay
      // responsive and its status must stay writable.
      values.put("w" + i, "username: u" + i + "\npasswd: " + m);
    }
    return values;
  }

  private static String laughs(String m) {
    StringBuilder yaml = new StringBuilder("a0: &a0 [\"" + m + "\"]\n");
    for (int i = 1; i < 12; i++) {
      String prev = "*a" + (i - 1);
      yaml.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, prev)))
          .append("]\n");
    }
    return yaml.append("username: u\npassword: *a11\n").toString();
  }

  private static String wrapped(int width, String value) {
    String encoded = b64(value);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < encoded.length(); i += width) {
      out.append(encoded, i, Math.min(encoded.length(), i + width)).append('\n');
    }
    return out.toString();
  }

  private static String spaced(String value) {
    String encoded = b64(value);
    return encoded.substring(0, 4) + " " + encoded.substring(4);
  }

  static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> kv(String... keyValues) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return values;
  }

  private static Map<String, byte[]> bytesOf(Map<String, String> values) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static byte[] cat(String prefix, String marker, java.nio.charset.Charset charset) {
    return cat(prefix.getBytes(charset), marker);
  }

  private static byte[] cat(byte[] prefix, String marker) {
    byte[] tail = marker.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + tail.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(tail, 0, out, prefix.length, tail.length);
    return out;
  }

  private static String pem(Object object) {
    return io.kanister.kopia.testsupport.TestPki.pem(object);
  }

  /** The other key, as PEM. */
  private static final class TestPkiKeys {
    static String other(CorpusPki pki) {
      return pem(pki.otherKey.getPrivate());
    }
  }

  Path outside() {
    return outside;
  }

  static Role roleOf(SecretCase c) {
    return c.role();
  }
}
