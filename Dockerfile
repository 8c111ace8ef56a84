# Clawstream as a container: the shaded jar on a Temurin 17 JRE, running `clawstream run`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -pl topology -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 clawstream
COPY --from=build /src/topology/target/clawstream.jar /app/clawstream.jar
USER clawstream
ENTRYPOINT ["java", "-jar", "/app/clawstream.jar"]
CMD ["--help"]
