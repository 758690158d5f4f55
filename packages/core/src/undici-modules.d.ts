// undici's modules by path have no declarations of their own: the types are undici's public ones.
declare module 'undici/lib/dispatcher/agent.js' {
  const Agent: unknown;
  export default Agent;
}
