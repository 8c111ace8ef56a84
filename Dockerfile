# Clawstream as a container: the shaded jar on a Temurin 17 JRE, running `clawstream run`.
FROM maven:3.9-eclipse-temurin-17 AS build
# The build vendors Trust Pulse's chart library from the npm registry (topology/web), so it needs npm.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -pl topology -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 clawstream
COPY --from=build /src/topology/target/clawstream.jar /app/clawstream.jar
USER clawstream
ENTRYPOINT ["java", "-jar", "/app/clawstream.jar"]
CMD ["--help"]
