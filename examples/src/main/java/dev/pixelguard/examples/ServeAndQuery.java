package dev.pixelguard.examples;

import dev.pixelguard.data.Datasets;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import dev.pixelguard.serve.ModelServer;
import dev.pixelguard.serve.ServedModel;
import java.util.List;

/** Serve a model in-process over the Open Inference Protocol and classify an image through HTTP. Args: model */
public final class ServeAndQuery {
  public static void main(String[] args) {
    ImageBatch image = ImageBatch.of(List.of(Datasets.samples().get(0).image()));
    try (Classifier local = Models.open(args[0]);
        ModelServer server = ModelServer.builder(ServedModel.of(local)).name("m").port(0).build().start();
        Classifier remote = Models.open("http://127.0.0.1:" + server.port() + "/v2/models/m")) {
      System.out.printf("local says %s, served says %s%n", local.info().className(local.classify(image).top(0)),
          remote.info().className(remote.classify(image).top(0)));
    }
  }
}
