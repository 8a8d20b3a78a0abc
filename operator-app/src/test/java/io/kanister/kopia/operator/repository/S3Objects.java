package io.kanister.kopia.operator.repository;

import io.kanister.kopia.testsupport.S3Bucket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Lists and deletes a test bucket's objects over the S3 REST API (signature version 2, which the
 * test server accepts), to empty a bucket as a user would behind the operator's back.
 */
final class S3Objects {
  private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private S3Objects() {}

  static List<String> list(S3Bucket bucket) throws Exception {
    HttpResponse<String> response = send(bucket, "GET", "");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("list " + bucket + ": HTTP " + response.statusCode());
    }
    List<String> keys = new ArrayList<>();
    Matcher m = KEY.matcher(response.body());
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  static void deleteAll(S3Bucket bucket) throws Exception {
    for (String key : list(bucket)) {
      HttpResponse<String> response = send(bucket, "DELETE", key);
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException("delete " + key + ": HTTP " + response.statusCode());
      }
    }
  }

  /** The object's bytes, exactly. */
  static byte[] get(S3Bucket bucket, String key) throws Exception {
    HttpResponse<byte[]> response =
        HTTP.send(signed(bucket, "GET", key), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("get " + key + ": HTTP " + response.statusCode());
    }
    return response.body();
  }

  private static HttpResponse<String> send(S3Bucket bucket, String method, String key)
      throws Exception {
    return HTTP.send(signed(bucket, method, key), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest signed(S3Bucket bucket, String method, String key) throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    String resource = "/" + bucket.bucket() + "/" + key;
    String toSign = method + "\n\n\n" + date + "\n" + resource;
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(bucket.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    String signature =
        Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(bucket.endpoint() + resource))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Date", date)
            .header("Authorization", "AWS " + bucket.accessKey() + ":" + signature)
            .build();
    return request;
  }
}
