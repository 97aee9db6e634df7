package io.modelgate.modelsync;

import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ModelSyncServiceTest extends ServiceContractTest {
}
