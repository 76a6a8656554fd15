export * from "./provider/ec2credential";
