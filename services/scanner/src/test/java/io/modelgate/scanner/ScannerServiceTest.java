package io.modelgate.scanner;

import io.modelgate.scanner.client.trivy.TrivyStandInResource;
import io.modelgate.testing.ModelgateTestResources;
import io.modelgate.testing.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(ModelgateTestResources.class)
@QuarkusTestResource(TrivyStandInResource.class)
class ScannerServiceTest extends ServiceContractTest {
}
