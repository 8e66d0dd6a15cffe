package io.edgeplane.seedmanager.audit;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.ForbiddenProblem;
import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The audit trail, newest first. Admin only; there is no service behind it, so the admin check is here. */
@Controller("/api/v1/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "audit")
@UnauthorizedProblem
public class AuditController {
    private final AuditRepository audit;

    public AuditController(AuditRepository audit) {
        this.audit = audit;
    }

    @Get
    @Operation(operationId = "listAuditEvents", summary = "List the audit trail of mutating calls, newest first (admin only)")
    @ForbiddenProblem @InvalidProblem
    public Page<AuditEvent> list(Caller caller,
                                 @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                                 @QueryValue @Nullable String cursor) {
        caller.requireAdmin();
        PageRequest page = PageRequest.of(limit, cursor);
        return page.page(audit.listBefore(page.beforeId(), page.fetchSize()), e -> Long.toString(e.id()));
    }
}
