package io.modelgate.platform.testapp;

import io.modelgate.testing.JwtTestResource;
import io.modelgate.testing.KafkaTestResource;
import io.modelgate.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** Real Kafka, PostgreSQL and JWT verification for every test of this module. */
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
public class TestInfrastructure {
}
