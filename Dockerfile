# Audience Mirror job image: the official Flink 2.2 image (Java 17) with the shaded job jar.
# Built by whoever deploys; the tests never need Docker.
#
#   mvn -B -ntp -DskipTests package
#   docker build -t registry.example.com/audience-mirror:0.1.0 .
#   docker push registry.example.com/audience-mirror:0.1.0
#
# Then put that image in k8s/overlays/<env>/kustomization.yaml (images:).
ARG FLINK_IMAGE=flink:2.2.1-java17
FROM ${FLINK_IMAGE}

ARG VERSION=0.1.0-SNAPSHOT

# S3 for checkpoints, savepoints, HA metadata and the nightly run's inputs and snapshot
# (Flink file systems load as plugins; the image ships them under opt/).
RUN mkdir -p /opt/flink/plugins/s3-fs-hadoop \
 && cp /opt/flink/opt/flink-s3-fs-hadoop-*.jar /opt/flink/plugins/s3-fs-hadoop/ \
 && if [ ! -d /opt/flink/plugins/metrics-prometheus ]; then \
      mkdir -p /opt/flink/plugins/metrics-prometheus \
      && cp /opt/flink/opt/flink-metrics-prometheus-*.jar /opt/flink/plugins/metrics-prometheus/; \
    fi

# The job jar: application mode (jarURI local:///opt/flink/usrlib/audience-mirror-jobs.jar) and
# `flink run` in the nightly CronJob both use this path. Flink's own jars are not in it.
COPY --chown=flink:flink jobs/target/audience-mirror-jobs-${VERSION}.jar /opt/flink/usrlib/audience-mirror-jobs.jar

# Where the manifests mount the job config (ConfigMap), the API keys (Secret) and the nightly
# run's shared folder (PersistentVolumeClaim).
RUN mkdir -p /opt/mirror/config /opt/mirror/secrets /opt/mirror/runs && chown -R flink:flink /opt/mirror

USER flink
