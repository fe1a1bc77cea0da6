import { describeServiceLifecycle } from "@flyt/testing";

describeServiceLifecycle("archive-adapter");
