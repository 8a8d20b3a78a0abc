package io.kanister.controller.widget;

import io.kanister.controller.reconcile.Reconciler;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.reconcile.Result;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records which requests it was asked to reconcile, and does nothing else. */
public final class RecordingReconciler implements Reconciler<Widget> {
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  @Override
  public Result reconcile(Request request) {
    requests.add(request);
    return Result.done();
  }

  public List<Request> requests() {
    return requests;
  }

  public void clear() {
    requests.clear();
  }
}
