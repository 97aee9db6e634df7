package io.modelgate.scanner.config;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The scanner service: Scans each discovered image with Trivy, applies the scan policy and reports the verdict (ScanCompleted). */
@OpenAPIDefinition(info = @Info(title = "Modelgate scanner API", version = "0.1.0", description = "Scans each discovered image with Trivy, applies the scan policy and reports the verdict (ScanCompleted)."), security = @SecurityRequirement(name = "jwt"))
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class ScannerApplication extends Application {
}
