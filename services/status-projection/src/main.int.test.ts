import { describeServiceLifecycle } from "@flyt/testing";

describeServiceLifecycle("status-projection");
