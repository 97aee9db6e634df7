package io.modelgate.approval;

import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
class ApprovalServiceTest extends ServiceContractTest {
}
