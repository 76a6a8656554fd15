// Section 6: what a user waits for, end to end with the real pulumi CLI (scripts/pulumi):
// up, refresh and destroy of an empty TypeScript program (the engine's floor: CLI start,
// language host, TypeScript compile, state write), of one Ec2Credential, and of S3Access over
// two regions. Programs alternate within each round, so the machine's load hits them alike.
import { openstackConfig, PulumiProject } from "../tests/support/pulumiCli";
import { summarize, Summary, timed } from "./stats";
import { markdownTable, ms, ratio } from "./table";

const PROGRAMS = {
    "empty program (floor)": `export const nothing = "here";\n`,
    "one Ec2Credential": `import { Ec2Credential } from "pulumi-openstack-s3-access";
export const accessKeyId = new Ec2Credential("kna1", { region: "Kna1" }).accessKeyId;\n`,
    "S3Access, Kna1 + Sto2": `import { S3Access } from "pulumi-openstack-s3-access";
const access = new S3Access("s3", { regions: ["Kna1", "Sto2"] });
export const s3 = access.clientConfigs;\n`,
};
type Program = keyof typeof PROGRAMS;
const OPS = ["up", "refresh", "destroy"] as const;
type Op = (typeof OPS)[number];

export async function cliPath(rounds: number, progress: (line: string) => void): Promise<{ markdown: string }> {
    const projects = new Map<Program, PulumiProject>();
    const samples = new Map<string, number[]>();
    const add = (program: Program, op: Op, value: number) => samples.set(`${program}/${op}`, [...(samples.get(`${program}/${op}`) ?? []), value]);
    try {
        for (const [name, source] of Object.entries(PROGRAMS) as [Program, string][]) {
            const project = await PulumiProject.create({ name: `bench-${Object.keys(PROGRAMS).indexOf(name)}`, program: { source } });
            await project.configure(openstackConfig("alice"));
            projects.set(name, project);
        }
        for (let round = 0; round < rounds; round++) {
            progress(`section 6: round ${round + 1} of ${rounds}`);
            for (const op of OPS) {
                for (const [name, project] of projects) {
                    const args = op === "up" ? ["up", "--yes", "--skip-preview"] : [op, "--yes", "--skip-preview"];
                    add(name, op, (await timed(() => project.ok(args))).ms);
                }
            }
        }
    } finally {
        for (const project of projects.values()) await project.dispose();
    }
    const stats = (program: Program, op: Op): Summary => summarize(samples.get(`${program}/${op}`)!);
    const floor = Object.keys(PROGRAMS)[0] as Program;
    const rows = (Object.keys(PROGRAMS) as Program[]).flatMap((program) =>
        OPS.map((op) => {
            const s = stats(program, op);
            return [
                program,
                `pulumi ${op} --yes --skip-preview`,
                `${ms(s.median)} (p10 ${ms(s.p10)}, p90 ${ms(s.p90)})`,
                ratio(s.median / stats(floor, op).median),
            ];
        }),
    );
    return {
        markdown: [
            markdownTable(["program", "command", `ms, median of ${rounds}`, "ratio to the empty program"], rows),
            "",
            "Each command is a whole `pulumi` process (scripts/pulumi/env.sh: offline, file backend). The empty program's " +
                "times are the engine's own floor: CLI start, language host, TypeScript compile of the program, state writes.",
        ].join("\n"),
    };
}
