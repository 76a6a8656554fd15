export * from "./requests";
export * from "./results";
export { credentialIdOf } from "./urls";
