package io.modelgate.serving;

import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ServingServiceTest extends ServiceContractTest {
}
